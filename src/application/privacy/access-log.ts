import { sql } from 'kysely';
import type { Actor } from '../actor';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../pagination';
import type { DataClass, SubjectKind } from './data-classes';
import type { Db } from '../db';

/** One read that showed sensitive classes of one subject's data. */
export interface AccessEntry {
  subjectKind: SubjectKind;
  subjectId: string;
  householdId: string | null;
  classes: readonly DataClass[];
}

export interface AccessRecord extends AccessEntry {
  seq: number;
  at: string;
  actor: { id: string; role: string };
  route: string;
}

export interface AccessFilter {
  householdId?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

/**
 * Who read which household's health (and other sensitive) data, when, through which route
 * (PIPL). Written after the read's own query; the auditor reads it back. Never stores the
 * data itself, only which classes were shown.
 */
export class AccessLog {
  constructor(private readonly db: Db) {}

  async record(actor: Actor, at: Date, route: string, entries: readonly AccessEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await sql`
      insert into privacy_access_log (at, actor_id, actor_role, route, household_id, subject_kind, subject_id, classes)
      select ${at.toISOString()}::timestamptz, ${actor.id}, ${actor.role}, ${route}, h::uuid, k, s, string_to_array(c, ',')
      from unnest(${entries.map((e) => e.householdId)}::text[], ${entries.map((e) => e.subjectKind)}::text[], ${entries.map((e) => e.subjectId)}::text[], ${entries.map((e) => e.classes.join(','))}::text[]) as t(h, k, s, c)`.execute(
      this.db,
    );
  }

  async list(filter: AccessFilter, page: PageRequest): Promise<Page<AccessRecord>> {
    const after = decodeCursor<{ seq: number }>(page.cursor);
    let query = this.db.selectFrom('privacy_access_log').selectAll();
    if (filter.householdId) query = query.where('household_id', '=', filter.householdId);
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
    if (filter.from) query = query.where('at', '>=', instant(filter.from));
    if (filter.to) query = query.where('at', '<', instant(filter.to));
    if (after) query = query.where('seq', '>', String(Number(after.seq) || 0));
    const rows = await query
      .orderBy('seq')
      .limit(page.limit + 1)
      .execute();
    const items: AccessRecord[] = rows.slice(0, page.limit).map((r) => ({
      seq: Number(r.seq),
      at: new Date(r.at).toISOString(),
      actor: { id: r.actor_id, role: r.actor_role },
      route: r.route,
      subjectKind: r.subject_kind as AccessRecord['subjectKind'],
      subjectId: r.subject_id,
      householdId: r.household_id,
      classes: (typeof r.classes === 'string' ? String(r.classes).replace(/[{}]/g, '').split(',').filter(Boolean) : r.classes) as DataClass[],
    }));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ seq: last.seq }) : null };
  }
}

/** An ISO instant as PostgreSQL reads it (the column is a timestamptz; the filter stays text until then). */
const instant = (iso: string) => sql<Date>`${iso}::timestamptz`;
