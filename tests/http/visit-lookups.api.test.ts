import { sql, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/application/command-handler';
import { ReadModelJurisdictionResolver } from '../../src/application/jurisdiction-resolver';
import { AccessLog } from '../../src/application/privacy/access-log';
import { Privacy } from '../../src/application/privacy/privacy';
import { VisitsService } from '../../src/application/visits/visits.service';
import { getGroup } from '../../src/projections/geography/geography.queries';
import { householdForVisit } from '../../src/projections/households/households.queries';
import { readVisitLookups } from '../../src/projections/visits/visit-lookups.queries';
import { schedulePolicies } from '../../src/projections/visits/visits.queries';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { postgresUrl } from '../support/test-database';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

// Prepared statements live in a server session: only PostgreSQL has them (PGlite runs the text).
const onPostgres = (await postgresUrl()) !== null;

/**
 * Recording a visit reads the household, its group on the visit's day and the schedule policies
 * in one statement (issue 20: a visit was three reads and the append, and each statement costs
 * the service's thread a send). The one read must give what the three reads gave.
 */
describe('what recording a visit reads', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const admin = () => bearer(t.token('admin'));
  const call = (method: 'POST' | 'PUT', url: string, payload: object) => t.app.inject({ method, url, headers: admin(), payload });
  const created = async (method: 'POST', url: string, payload: object) => ((await expectStatus(call(method, url, payload), 201)) as { id: string }).id;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-02-10T02:00:00.000Z');
    ids.town = await created('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' });
    ids.village = await created('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' });
    ids.g1 = await created('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' });
    ids.g2 = await created('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201002', name: '二组' });
    const worker = (name: string, seq: number) =>
      created('POST', '/api/v1/workers', {
        name,
        level: 'village',
        phone: '13900000000',
        idNumber: idNumber('1985-03-03', seq),
        hireDate: '2025-01-01',
        posting: { villageId: ids.village },
      });
    ids.vA = await worker('村社工甲', 61);
    ids.vB = await worker('村社工乙', 62);
    // g1: vA, then vB from 15 January (a handover); g2: nobody.
    await expectStatus(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2025-01-01' }));
    await expectStatus(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vB, from: '2026-01-15' }));
    ids.h1 = await created('POST', '/api/v1/households', {
      groupId: ids.g1,
      incomeStability: 'unstable',
      members: [
        { name: '王老汉', idNumber: idNumber('1950-06-01', 63), relation: 'head', labourCapacity: 'none' },
        { name: '王小明', idNumber: idNumber('2014-09-01', 64), relation: 'grandchild', labourCapacity: 'none' },
      ],
    });
  });
  afterAll(async () => t?.close());

  /** What the three reads gave, the group narrowed to what a visit uses. */
  async function threeReads(householdId: string | null, groupId: string | null, on: string) {
    const db = t.database.db;
    const household = householdId ? await householdForVisit(db, householdId) : null;
    const wantedGroup = household?.groupId ?? (householdId ? null : groupId);
    const group = wantedGroup ? await getGroup(db, wantedGroup, on) : null;
    return {
      household,
      group: group ? { id: group.id, townId: group.townId, responsible: group.responsible } : null,
      policies: await schedulePolicies(db),
    };
  }

  it.each([
    ['a household before the handover', () => ['h1', null, '2026-01-10'] as const],
    ['a household after the handover', () => ['h1', null, '2026-01-20'] as const],
    ['a group with a responsible worker', () => [null, 'g1', '2026-01-10'] as const],
    ['a group without one', () => [null, 'g2', '2026-02-01'] as const],
  ])('gives what the three reads gave, for %s', async (_name, wanted) => {
    const [household, group, on] = wanted();
    const householdId = household ? ids[household]! : null;
    const groupId = group ? ids[group]! : null;
    const one = await readVisitLookups(t.database.db, { householdId, groupId, on });
    expect(one).toEqual(await threeReads(householdId, groupId, on));
    if (household) expect(one.household).toEqual({ id: ids.h1, groupId: ids.g1, members: 2 });
    expect(one.policies.map((p) => p.version)).toEqual([1]);
  });

  it('names the worker responsible on the day: the one before the handover, then the one after', async () => {
    const before = await readVisitLookups(t.database.db, { householdId: ids.h1!, groupId: null, on: '2026-01-14' });
    const after = await readVisitLookups(t.database.db, { householdId: ids.h1!, groupId: null, on: '2026-01-15' });
    expect(before.group?.responsible).toEqual({ workerId: ids.vA, from: '2025-01-01' });
    expect(after.group?.responsible).toEqual({ workerId: ids.vB, from: '2026-01-15' });
    expect(after.group?.townId).toBe(ids.town);
  });

  it('finds nothing for a household or group that does not exist, and no group for an unknown household', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    expect(await readVisitLookups(t.database.db, { householdId: unknown, groupId: null, on: '2026-01-10' })).toMatchObject({ household: null, group: null });
    expect(await readVisitLookups(t.database.db, { householdId: null, groupId: unknown, on: '2026-01-10' })).toMatchObject({ household: null, group: null });
  });

  describe('through the service', () => {
    let reads: number;
    let visits: VisitsService;
    // Counts every statement sent through this Kysely: only the service built on it below uses it
    // (the app's projections poll through their own), and the append goes through the event store.
    const counter: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => ((reads += 1), args.result),
    };
    const context = (actor: CommandContext['actor'], commandId: string): CommandContext => ({
      actor,
      commandId,
      correlationId: commandId,
      now: t.clock.now(),
    });
    const visit = { householdId: '', date: '2026-02-10', kind: 'routine' as const, findings: '家中一切正常', followUpActions: [] };

    beforeAll(() => {
      const db = t.database.db.withPlugin(counter);
      visits = new VisitsService(t.service.deps.commands, db, new ReadModelJurisdictionResolver(db), new Privacy(new AccessLog(db)));
      visit.householdId = ids.h1!;
    });

    it('records a household visit by its responsible worker with one read before the append', async () => {
      reads = 0;
      const recorded = await visits.recordVisit(context({ id: ids.vB!, role: 'village_worker' }, 'visit-lookups-1'), visit);
      expect(reads).toBe(1);
      expect(recorded.late).toBe(false);
      expect(recorded.policyVersion).toBe(1);
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/visits?householdId=${ids.h1}`, headers: admin() });
      const listed = res.json<{ items: { id: string; workerId: string }[] }>().items;
      expect(listed.map((v) => [v.id, v.workerId])).toContainEqual([recorded.id, ids.vB]);
    });

    it('refuses the worker who handed the group over, after the same one read', async () => {
      reads = 0;
      await expect(visits.recordVisit(context({ id: ids.vA!, role: 'village_worker' }, 'visit-lookups-2'), visit)).rejects.toThrow(/responsible worker/);
      expect(reads).toBe(1);
    });

    it.runIf(onPostgres)('sends the read as a statement PostgreSQL prepared once for the connection', async () => {
      // One connection, so the session asked is the one the visit's read ran on.
      const one = await startTestApp({ backend: 'postgres', postgres: { poolSize: 1 } });
      try {
        const prepared = () => sql<{ name: string }>`select name from pg_prepared_statements where name = 'visit_lookups'`.execute(one.database.db);
        expect((await prepared()).rows).toEqual([]);
        await readVisitLookups(one.database.db, { householdId: null, groupId: ids.g1!, on: '2026-01-10' });
        expect((await prepared()).rows).toEqual([{ name: 'visit_lookups' }]);
      } finally {
        await one.close();
      }
    });

    it('reads nothing for a role that may not record visits at all', async () => {
      reads = 0;
      await expect(visits.recordVisit(context({ id: 'auditor-1', role: 'auditor' }, 'visit-lookups-3'), visit)).rejects.toThrow();
      expect(reads).toBe(0);
    });
  });
});
