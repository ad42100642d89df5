import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulePolicyOn } from '../../src/domain/visits/schedule-policy';
import type { DueItem } from '../../src/domain/visits/due';
import { ensureScheduleFresh } from '../../src/projections/visits/schedule-rollover';
import { computeScheduleOf, readSchedule } from '../../src/projections/visits/schedule.queries';
import { schedulePolicies } from '../../src/projections/visits/visits.queries';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { availableBackends } from '../support/test-database';
import { townVillageAndWorker } from '../support/village-fixture';

const ok = async (reply: Parameters<typeof expectStatus>[0], status = 200) => (await expectStatus(reply, status)) as { id: string };

/** The item as the model stores it (computeSchedule's items also carry the facts they came from). */
const stored = ({ groupId, villageId, townId, workerId, obligation, householdId, month, dueDate, status, lastVisit, interval }: DueItem) => ({
  ...{ groupId, villageId, townId, workerId, obligation, householdId, month, dueDate, status, lastVisit, interval },
});
const byKey = (items: readonly DueItem[]) =>
  items
    .map(stored)
    .sort((a, b) => `${a.obligation}${a.householdId ?? a.groupId}${a.month}`.localeCompare(`${b.obligation}${b.householdId ?? b.groupId}${b.month}`));

/**
 * Issue 20: the first read of a new day builds the schedule beside the live rows and switches
 * it in; a visit and a registration sent while that build is provably mid-way complete at once
 * (none waits for the county's build, none is refused), and the switched-in model equals the
 * query-time schedule of the new day, their rows included.
 */
describe.each(await availableBackends())('the schedule day rollover on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const households: string[] = [];
  const groups: string[] = [];
  let seq = 700;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await startTestApp({ backend });
    t.clock.set('2026-03-30T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    Object.assign(ids, await townVillageAndWorker(call));
    for (let g = 1; g <= 4; g++) {
      const group = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: `53062610020100${g}`, name: `${g}组` }), 201)).id;
      groups.push(group);
      await ok(call('PUT', `/api/v1/groups/${group}/responsible-worker`, { workerId: ids.worker, from: '2025-01-01' }));
      for (let h = 0; h < 2; h++)
        households.push(
          (
            await ok(
              call('POST', '/api/v1/households', {
                groupId: group,
                members: [{ name: `户主${seq}`, idNumber: idNumber('1961-02-02', seq++), relation: 'head', labourCapacity: 'full' }],
              }),
              201,
            )
          ).id,
        );
    }
    await ok(call('GET', '/api/v1/schedule/overdue')); // built as of 2026-03-30
  }, 120_000);
  afterAll(async () => t?.close());

  it('lets a visit and a registration through while the new day is built, and switches in the new day’s schedule', async () => {
    const nextDay = '2026-04-01'; // a new month: every group's and household's items change
    t.clock.set(`${nextDay}T02:00:00.000Z`);
    let steps = 0;
    const statuses: number[] = [];
    let doneWhilePaused = false;
    await ensureScheduleFresh(t.database.db, nextDay, {
      groupsPerStep: 1,
      onStep: async () => {
        if (steps++ > 0) return;
        // One group of four built into the shadow: the build is mid-way, and holds no lock visits take.
        const sent = Promise.all([
          call('POST', '/api/v1/visits', {
            householdId: households[7],
            workerId: ids.worker,
            date: nextDay,
            kind: 'routine',
            findings: '正常',
            peopleServed: 1,
          }),
          call('POST', '/api/v1/households', {
            groupId: groups[0],
            members: [{ name: `户主${seq}`, idNumber: idNumber('1961-02-02', seq++), relation: 'head', labourCapacity: 'full' }],
          }),
        ]).then((rs) => (statuses.push(...rs.map((r) => r.statusCode)), true));
        doneWhilePaused = await Promise.race([sent, new Promise<false>((resolve) => setTimeout(() => resolve(false), 15_000).unref())]);
        await sent;
      },
    });
    expect(steps).toBe(4);
    expect(doneWhilePaused).toBe(true);
    expect(statuses).toEqual([201, 201]);
    const state = await sql<{ as_of: string }>`select as_of::text as as_of from rm_schedule_state where id = 1`.execute(t.database.db);
    expect(state.rows[0]!.as_of).toBe(nextDay);
    const policy = schedulePolicyOn(await schedulePolicies(t.database.db), nextDay);
    const oracle = await computeScheduleOf(t.database.db, null, nextDay, policy);
    const model = (await readSchedule(t.database.db, {})).items;
    expect(byKey(model)).toEqual(byKey(oracle));
    const leftovers = await sql<{ n: string }>`select count(*) as n from pg_namespace where nspname like '%schedule\\_day%'`.execute(t.database.db);
    expect(Number(leftovers.rows[0]!.n)).toBe(0);
    // And the switched-in rows keep moving with events: still the query-time schedule after more.
    await ok(
      call('POST', '/api/v1/visits', { groupId: groups[1], workerId: ids.worker, date: nextDay, kind: 'routine', findings: '正常', peopleServed: 1 }),
      201,
    );
    await ok(
      call('POST', '/api/v1/households', {
        groupId: groups[2],
        members: [{ name: `户主${seq}`, idNumber: idNumber('1961-02-02', seq++), relation: 'head', labourCapacity: 'full' }],
      }),
      201,
    );
    expect(byKey((await readSchedule(t.database.db, {})).items)).toEqual(byKey(await computeScheduleOf(t.database.db, null, nextDay, policy)));
    expect((await readSchedule(t.database.db, {})).items.some((i) => i.groupId === groups[1] && i.month === '2026-04' && i.status === 'done')).toBe(true);
  });
});
