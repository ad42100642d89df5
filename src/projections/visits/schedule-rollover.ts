import { sql, type Kysely } from 'kysely';
import { schedulePolicyOn, type SchedulePolicy } from '../../domain/visits/schedule-policy';
import type { Database, Row } from '../../storage/database';
import { ShadowTables } from '../../storage/shadow-tables';
import { activeGroupIds } from '../geography/geography.queries';
import { groupsOfHouseholds } from '../households/households.queries';
import { day, inIds } from '../row-values';
import { scheduleProjection } from './schedule.projection';
import { computeScheduleOf, insertItems, scheduleState } from './schedule.queries';
import { schedulePolicies } from './visits.queries';

/** Groups computed per transaction while the new day is built: each statement stays short. */
const GROUPS_PER_STEP = 100;

/** A rollover in progress per database (this process): the first reads of a day share it. */
const inFlight = new WeakMap<Kysely<Database>, Map<string, Promise<void>>>();

/**
 * Make the model hold `today` under the policy in force on it. Nothing when it already does;
 * else the whole model is built for the new day beside the live rows (a shadow table, a hundred
 * groups per transaction) while visits and other events go on moving the live rows, then the
 * groups those events touched meanwhile are recomputed in the shadow, and one short transaction
 * switches it in: it locks the state row (in-flight appends that move schedule rows have
 * committed, later ones wait), recomputes the groups of the last few events, swaps the tables and
 * writes the new day. Visits wait for that switch only, not for the county's build.
 */
export async function ensureScheduleFresh(db: Kysely<Database>, today: string, options: RolloverOptions = {}): Promise<SchedulePolicy> {
  const policy = schedulePolicyOn(await schedulePolicies(db), today);
  const state = await scheduleState(db);
  if (state.asOf === today && state.policyVersion === policy.version) return policy;
  const key = `${today}:${policy.version}`;
  let running = inFlight.get(db);
  if (!running) inFlight.set(db, (running = new Map<string, Promise<void>>()));
  let build = running.get(key);
  if (!build) {
    build = rollOver(db, today, policy, options).finally(() => running.delete(key));
    running.set(key, build);
  }
  await build;
  return policy;
}

export interface RolloverOptions {
  groupsPerStep?: number;
  /** Told after each step of the build has committed (tests pause there, mid-way). */
  onStep?: () => Promise<void>;
}

async function rollOver(db: Kysely<Database>, today: string, policy: SchedulePolicy, options: RolloverOptions): Promise<void> {
  const perStep = options.groupsPerStep ?? GROUPS_PER_STEP;
  const live = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema;
  // Every event of a transaction below this horizon is committed: the build reflects them, and
  // events from the horizon on are caught up below by recomputing the groups they touch.
  let horizon = await commitHorizon(db);
  const shadow = await ShadowTables.create(db, live, ['rm_schedule_items'], 'schedule_day');
  let policyChanged = false;
  const recompute = async (trx: Kysely<Database>, groupIds: readonly string[]) => {
    await sql`delete from rm_schedule_items where ${inIds('group_id', groupIds)}`.execute(trx);
    await insertItems(trx, await computeScheduleOf(trx, groupIds, today, policy));
  };
  const inShadow = (step: (trx: Kysely<Database>) => Promise<void>) =>
    db.transaction().execute(async (trx) => {
      await shadow.useForBuild(trx);
      await step(trx);
    });
  try {
    const groups = await activeGroupIds(db);
    for (let i = 0; i < groups.length; i += perStep) {
      const step = groups.slice(i, i + perStep);
      await inShadow(async (trx) => insertItems(trx, await computeScheduleOf(trx, step, today, policy)));
      await options.onStep?.();
    }
    // Catch up without the lock, so that the locked switch has only the last few events to take.
    const next = await commitHorizon(db);
    const touched = await touchedSince(db, horizon);
    policyChanged ||= touched.policyChanged;
    if (touched.groups.length > 0) await inShadow((trx) => recompute(trx, touched.groups));
    horizon = next;
    const switched = await db.transaction().execute(async (trx) => {
      const locked = (
        await sql<Pick<Row<'rm_schedule_state'>, 'as_of' | 'policy_version'>>`
          select as_of, policy_version from rm_schedule_state where id = 1 for update`.execute(trx)
      ).rows[0];
      if (locked && day(locked.as_of) === today && locked.policy_version === policy.version) return false; // another process switched first
      // Under the state's lock every append that moves schedule rows has committed: no horizon.
      const last = await touchedSince(trx, horizon);
      policyChanged ||= last.policyChanged;
      await shadow.use(trx);
      if (last.groups.length > 0) await recompute(trx, last.groups);
      await shadow.switchIn(trx);
      // A policy version added during the build: the rows are stale at once, the next read rebuilds.
      await sql`insert into rm_schedule_state (id, as_of, policy_version, built_at) values (1, ${today}::date, ${policyChanged ? null : policy.version}, now())
        on conflict (id) do update set as_of = excluded.as_of, policy_version = excluded.policy_version, built_at = excluded.built_at`.execute(trx);
      return true;
    });
    if (!switched) await shadow.discard(db);
  } catch (error) {
    await shadow.discard(db).catch(() => undefined);
    throw error;
  }
}

/** The oldest transaction still running, as the log's commit keys count (see SqlEventStore.readAll). */
async function commitHorizon(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ xmin: string }>`
    select (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + (select base from es_position_base))::text as xmin`.execute(db);
  return result.rows[0]!.xmin;
}

interface EventFacts {
  groupId?: string;
  fromGroupId?: string;
  toGroupId?: string;
  householdId?: string | null;
}

/** The groups whose schedule rows the events of transactions from `horizon` on may have moved. */
async function touchedSince(db: Kysely<Database>, horizon: string): Promise<{ groups: string[]; policyChanged: boolean }> {
  // The data as every reader of the log gets it: its hashed text (0191: new events keep no jsonb of it).
  const events = await sql<{ type: string; data: EventFacts | string | null }>`
    select type, coalesce(data_jcs, data::text) as data from es_events where transaction_id >= ${horizon}::bigint and type = any(${[...scheduleProjection.handles]}::text[])`.execute(
    db,
  );
  const groups = new Set<string>();
  const households = new Set<string>();
  let policyChanged = false;
  for (const row of events.rows) {
    if (row.type === 'SchedulePolicyVersionAdded') policyChanged = true;
    const data: EventFacts = (typeof row.data === 'string' ? (JSON.parse(row.data) as EventFacts | null) : row.data) ?? {};
    for (const id of [data.groupId, data.fromGroupId, data.toGroupId]) if (id) groups.add(id);
    if (data.householdId) households.add(data.householdId);
  }
  if (households.size > 0) {
    for (const id of await groupsOfHouseholds(db, [...households])) groups.add(id);
  }
  return { groups: [...groups].sort(), policyChanged };
}
