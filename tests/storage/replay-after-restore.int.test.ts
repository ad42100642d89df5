import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/application/clock';
import { compose, type Service } from '../../src/composition-root';
import { loadConfig } from '../../src/config';
import { openPostgres } from '../../src/storage/postgres-database';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { expectStatus } from '../support/api-expect';
import { silentLogger } from '../support/logger';
import { idNumber } from '../support/national-ids';
import { dumpAndRestore, postgresBinaries, startSecondCluster, type SecondCluster } from '../support/second-cluster';
import { bearer, startTestApp, TEST_SERVICE_ENV, type TestApp } from '../support/test-app';
import { postgresUrl } from '../support/test-database';

const url = await postgresUrl();
const binaries = postgresBinaries();
const skipReason = !url ? 'no PostgreSQL to dump from (TEST_DATABASE_URL unset, no Docker)' : 'missing' in binaries ? binaries.missing : null;
if (skipReason) console.warn(`replay after a restore skipped: ${skipReason}`);

const DECISIONS = 3;

/**
 * Issue 12: after a logical restore into a cluster whose transaction counter is lower, the
 * auditor's replay must still check every decision (it once read the log through positions the
 * new cluster hid, and reported zero mismatches having checked nothing).
 */
describe.skipIf(skipReason !== null)('the auditor’s replay on a service started over a logical restore', () => {
  let source: TestApp;
  let cluster: SecondCluster;
  let restored: SqlDatabase;
  let service: Service;

  beforeAll(async () => {
    source = await startTestApp({ backend: 'postgres' });
    // Stored commit keys far above what the new cluster's transaction ids start at.
    const xid = async () => Number((await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(source.database.db)).rows[0]!.x);
    while ((await xid()) < 5_000) await sql`select pg_current_xact_id()`.execute(source.database.db);

    // The shortest road to a decision: 临时救助 granted at once by the town (emergency).
    const admin = bearer(source.token('admin'));
    // Creations answer 201, steps 200.
    const call = async (url: string, payload: object, headers = admin) => {
      const r = await source.app.inject({ method: 'POST', url, headers, payload });
      expect([200, 201], r.body).toContain(r.statusCode);
      return r.json();
    };
    source.clock.set('2023-06-08T02:00:00.000Z');
    await call('/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024)));
    await call('/api/v1/policies', policy2023Input);
    const town = (await call('/api/v1/towns', { code: '530626100', name: '中城镇' })).id;
    const village = (await call('/api/v1/villages', { townId: town, code: '530626100201', name: '回望村' })).id;
    const group = (await call('/api/v1/groups', { villageId: village, code: '530626100201001', name: '一组' })).id;
    const official = (await call('/api/v1/officials', { name: '中城镇民政办', role: 'town_official', townId: town, from: '2023-01-01' })).id;
    const townGov = bearer(source.token('town_official', official));
    for (let i = 0; i < DECISIONS; i++) {
      const h = await call('/api/v1/households', {
        groupId: group,
        incomeStability: 'unstable',
        members: [{ name: `赵火${i}`, idNumber: idNumber('1960-01-01', 60 + i), relation: 'head', labourCapacity: 'partial' }],
      });
      const c = await call('/api/v1/cases', { program: 'temporary', householdId: h.id, applicantPersonId: h.members[0].personId, channel: 'emergency' });
      const granted = await call(
        `/api/v1/cases/${c.id}/emergency-grant`,
        { facts: { cause: 'fire', description: '房屋失火', occurredOn: '2023-06-08', requestedFen: 200_000, emergency: true } },
        townGov,
      );
      expect(granted.status).toBe('emergency_granted');
    }
    const before = await expectStatus(source.app.inject({ method: 'POST', url: '/api/v1/audit/replay', headers: bearer(source.token('auditor')) }));
    expect(before).toMatchObject({ decisionsInLog: DECISIONS, decisionsReplayed: DECISIONS, mismatches: [], ok: true });

    cluster = await startSecondCluster((binaries as { bin: string }).bin);
    dumpAndRestore(cluster.bin, source.database.url!, source.database.schema, cluster.url, cluster.dir);
    restored = await openPostgres({ connectionString: cluster.url, schema: source.database.schema, poolSize: 4 });
    // The service as a deployment starts it on the restored database: same keys, start-up migrations.
    const config = loadConfig({
      ...TEST_SERVICE_ENV,
      PROJECTION_POLL_MS: '50',
    });
    service = await compose(config, { database: restored, clock: new FixedClock(new Date('2023-06-09T02:00:00.000Z')), logger: silentLogger });
    await service.start();
    await service.app.ready();
  }, 240_000);

  afterAll(async () => {
    await service?.stop();
    await restored?.close();
    cluster?.stop();
    await source?.close();
  });

  it('re-runs every decision appended before the dump, with no mismatch, and verify is clean', async () => {
    const newCounter = Number((await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(restored.db)).rows[0]!.x);
    const top = Number((await sql<{ t: string }>`select max(transaction_id)::text as t from es_events`.execute(restored.db)).rows[0]!.t);
    expect(top).toBeGreaterThan(newCounter); // the situation that once hid the log

    const auditor = bearer(service.app.jwt.sign({ sub: 'auditor-1', role: 'auditor' }));
    const replay = await expectStatus(service.app.inject({ method: 'POST', url: '/api/v1/audit/replay', headers: auditor }));
    expect(replay).toMatchObject({
      decisionsInLog: DECISIONS,
      decisionsReplayed: DECISIONS,
      decisionsChecked: DECISIONS,
      mismatches: [],
      ok: true,
      chains: { ok: true, broken: [] },
    });
    const verify = await expectStatus(service.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor }));
    expect(verify.broken).toEqual([]);
    expect(verify.eventsChecked).toBe(Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(restored.db)).rows[0]!.n));
  });
});
