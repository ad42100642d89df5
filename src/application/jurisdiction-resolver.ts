import { sql } from 'kysely';
import type { Actor } from './actor';
import type { Jurisdiction, JurisdictionResolver } from './jurisdiction';
import type { Db } from './db';
import { UnknownWorkerError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Jurisdiction from the workforce and geography read models: the assignments in force on the
 * given day. The token's subject is the worker id.
 */
export class ReadModelJurisdictionResolver implements JurisdictionResolver {
  constructor(private readonly db: Db) {}

  async resolve(actor: Actor, onDate: string): Promise<Jurisdiction> {
    const isWorkerRole =
      actor.role === 'county_worker' ||
      actor.role === 'town_worker' ||
      actor.role === 'village_worker' ||
      actor.role === 'civil_affairs_officer' ||
      actor.role === 'town_official';
    // A worker's token names the worker (an official's, the official) by id: a subject that names
    // nobody is refused with 403, never answered with empty lists as if the area were empty.
    if (isWorkerRole && !UUID.test(actor.id)) throw new UnknownWorkerError();
    const jurisdiction = await this.fromReadModels(actor, onDate);
    if (isWorkerRole && isEmpty(jurisdiction) && !(await this.isKnown(actor))) throw new UnknownWorkerError();
    return jurisdiction;
  }

  /** Whether the subject is a worker or official ever registered (one who left still is). */
  private async isKnown(actor: Actor): Promise<boolean> {
    const table = actor.role === 'civil_affairs_officer' || actor.role === 'town_official' ? sql`rm_officials` : sql`rm_workers`;
    const found = await sql<{ one: number }>`select 1 as one from ${table} where id = ${actor.id}::uuid limit 1`.execute(this.db);
    return found.rows.length > 0;
  }

  private async fromReadModels(actor: Actor, onDate: string): Promise<Jurisdiction> {
    switch (actor.role) {
      case 'admin':
      case 'auditor':
      case 'evaluator':
      case 'system':
        return { scope: 'all' };
      case 'county_worker': {
        const links = await sql<{ target_id: string }>`
          select l.target_id from rm_worker_links l join rm_workers w on w.id = l.worker_id
          where l.worker_id = ${actor.id}::uuid and l.kind = 'county_town_link' and w.level = 'county' and w.status = 'employed'
            and l.from_date <= ${onDate}::date and (l.to_date is null or l.to_date > ${onDate}::date)`.execute(this.db);
        return { scope: 'towns', townIds: new Set(links.rows.map((r) => r.target_id)) };
      }
      case 'town_worker': {
        const worker = await sql<{ town_id: string | null }>`
          select town_id from rm_workers where id = ${actor.id}::uuid and level = 'town' and status = 'employed'`.execute(this.db);
        const townId = worker.rows[0]?.town_id;
        return townId ? { scope: 'towns', townIds: new Set([townId]) } : { scope: 'none' };
      }
      // Officials act where their appointment in force on the day says: the county, or one town.
      case 'civil_affairs_officer':
      case 'town_official': {
        const rows = await sql<{ town_id: string | null }>`
          select town_id from rm_officials where id = ${actor.id}::uuid and role = ${actor.role}
            and from_date <= ${onDate}::date and (to_date is null or to_date > ${onDate}::date)`.execute(this.db);
        const row = rows.rows[0];
        if (!row) return { scope: 'none' };
        if (actor.role === 'civil_affairs_officer') return { scope: 'all' };
        return row.town_id ? { scope: 'towns', townIds: new Set([row.town_id]) } : { scope: 'none' };
      }
      // A village worker's token must name an employed village-level worker: a town worker
      // responsible for groups (allowed) does not become a village worker by changing roles.
      case 'village_worker': {
        const groups = await sql<{ group_id: string; village_id: string; town_id: string }>`
          select r.group_id, g.village_id, g.town_id from rm_group_responsibilities r join rm_groups g on g.id = r.group_id
          join rm_workers w on w.id = r.worker_id and w.level = 'village' and w.status = 'employed'
          where r.worker_id = ${actor.id}::uuid and r.from_date <= ${onDate}::date and (r.to_date is null or r.to_date > ${onDate}::date)`.execute(this.db);
        return {
          scope: 'groups',
          groupIds: new Set(groups.rows.map((r) => r.group_id)),
          villageIds: new Set(groups.rows.map((r) => r.village_id)),
          townIds: new Set(groups.rows.map((r) => r.town_id)),
        };
      }
    }
  }
}

function isEmpty(j: Jurisdiction): boolean {
  return j.scope === 'none' || (j.scope === 'towns' && j.townIds.size === 0) || (j.scope === 'groups' && j.groupIds.size === 0);
}
