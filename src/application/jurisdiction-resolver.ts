import { appointmentOn, isRegisteredOfficial } from '../projections/assistance/officials.queries';
import { groupsHeldOn } from '../projections/geography/responsibilities.queries';
import { employedWorkerIds, isRegisteredWorker, linkedTownsOfCountyWorker, townOfTownWorker } from '../projections/workforce/worker-standing.queries';
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
    return actor.role === 'civil_affairs_officer' || actor.role === 'town_official'
      ? isRegisteredOfficial(this.db, actor.id)
      : isRegisteredWorker(this.db, actor.id);
  }

  private async fromReadModels(actor: Actor, onDate: string): Promise<Jurisdiction> {
    switch (actor.role) {
      case 'admin':
      case 'auditor':
      case 'evaluator':
      case 'system':
        return { scope: 'all' };
      case 'county_worker':
        return { scope: 'towns', townIds: new Set(await linkedTownsOfCountyWorker(this.db, actor.id, onDate)) };
      case 'town_worker': {
        const townId = await townOfTownWorker(this.db, actor.id);
        return townId ? { scope: 'towns', townIds: new Set([townId]) } : { scope: 'none' };
      }
      // Officials act where their appointment in force on the day says: the county, or one town.
      case 'civil_affairs_officer':
      case 'town_official': {
        const appointment = await appointmentOn(this.db, actor.id, actor.role, onDate);
        if (!appointment) return { scope: 'none' };
        if (actor.role === 'civil_affairs_officer') return { scope: 'all' };
        return appointment.townId ? { scope: 'towns', townIds: new Set([appointment.townId]) } : { scope: 'none' };
      }
      // A village worker's token must name an employed village-level worker: a town worker
      // responsible for groups (allowed) does not become a village worker by changing roles.
      // Still one statement: geography's query embeds workforce's subquery of employed workers.
      case 'village_worker': {
        const groups = await groupsHeldOn(this.db, actor.id, onDate, employedWorkerIds(this.db, 'village'));
        return {
          scope: 'groups',
          groupIds: new Set(groups.map((g) => g.groupId)),
          villageIds: new Set(groups.map((g) => g.villageId)),
          townIds: new Set(groups.map((g) => g.townId)),
        };
      }
    }
  }
}

function isEmpty(j: Jurisdiction): boolean {
  return j.scope === 'none' || (j.scope === 'towns' && j.townIds.size === 0) || (j.scope === 'groups' && j.groupIds.size === 0);
}
