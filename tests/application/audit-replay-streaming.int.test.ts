import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService, type ReplayProgress } from '../../src/application/assistance/audit.service';
import type { EventStore, ReadStreamsOptions } from '../../src/application/event-store';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { idNumber } from '../support/national-ids';
import { asDba } from '../support/tamper';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';
import { inMemoryReplay } from './replay-oracle';

const backends = await availableBackends();
const DECISIONS = 9;
const BATCH = 2;

/**
 * Issue 20: the auditor's replay streams. Both of its reads (the case streams, the global log) come
 * in pages of the batch size asked for, each page is re-run before the next is asked for, and the
 * report is the one the old all-in-memory replay gave (the oracle), mismatches included.
 */
describe.each(backends)(`the streaming replay over ${DECISIONS} decisions, on %s`, (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ backend });
    const admin = bearer(t.token('admin'));
    const call = async (url: string, payload: object, headers = admin) => {
      const r = await t.app.inject({ method: 'POST', url, headers, payload });
      expect([200, 201], r.body).toContain(r.statusCode);
      return r.json<{ id: string; members: Array<{ personId: string }> }>();
    };
    // The shortest road to a decision: 临时救助 granted at once by the town (emergency), then paid.
    t.clock.set('2023-06-08T02:00:00.000Z');
    await call('/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024)) as object);
    await call('/api/v1/policies', policy2023Input);
    const town = (await call('/api/v1/towns', { code: '530626100', name: '中城镇' })).id;
    const village = (await call('/api/v1/villages', { townId: town, code: '530626100201', name: '回望村' })).id;
    const group = (await call('/api/v1/groups', { villageId: village, code: '530626100201001', name: '一组' })).id;
    const official = (await call('/api/v1/officials', { name: '中城镇民政办', role: 'town_official', townId: town, from: '2023-01-01' })).id;
    const townGov = bearer(t.token('town_official', official));
    for (let i = 0; i < DECISIONS; i++) {
      const h = await call('/api/v1/households', {
        groupId: group,
        incomeStability: 'unstable',
        members: [{ name: `赵火${i}`, idNumber: idNumber('1960-01-01', 60 + i), relation: 'head', labourCapacity: 'partial' }],
      });
      const c = await call('/api/v1/cases', { program: 'temporary', householdId: h.id, applicantPersonId: h.members[0]!.personId, channel: 'emergency' });
      await call(
        `/api/v1/cases/${c.id}/emergency-grant`,
        { facts: { cause: 'fire', description: '房屋失火', occurredOn: '2023-06-08', requestedFen: 200_000 + i, emergency: true } },
        townGov,
      );
      if (i % 3 === 0) await call(`/api/v1/cases/${c.id}/payments`, { paidOn: '2023-06-08' }, townGov);
    }
    // One recorded decision changed behind the service's back: both replays must find it.
    await asDba(
      t.database.db,
      sql`update es_events set data_jcs = jsonb_set(data_jcs::jsonb, '{facts,requestedFen}', '1'::jsonb)::text
          where event_id = (select event_id from es_events where type = 'CaseDecided' order by global_position limit 1)`,
    );
  }, 240_000);
  afterAll(async () => t?.close());

  /** The store, counting what each read hands back and the pages the replay asks for. */
  function spied(store: EventStore) {
    const seen = { readAllCalls: 0, largestPage: 0, streamBatchSizes: [] as Array<number | undefined> };
    const spy = Object.create(store) as EventStore;
    spy.readAll = async (after, limit, options) => {
      const page = await store.readAll(after, limit, options);
      seen.readAllCalls++;
      seen.largestPage = Math.max(seen.largestPage, page.events.length);
      return page;
    };
    spy.readStreamsByPrefix = (prefix: string, options?: ReadStreamsOptions) => {
      seen.streamBatchSizes.push(options?.batchSize);
      return store.readStreamsByPrefix(prefix, options);
    };
    return { spy, seen };
  }

  const auditor = { actor: { id: 'auditor-1', role: 'auditor' as const }, now: new Date('2026-03-02T09:00:00.000Z') };
  const normalized = <T extends { mismatches: Array<{ eventId: string; reason: string }> }>(r: T) => ({
    ...r,
    mismatches: [...r.mismatches].sort((a, b) => (a.eventId + a.reason).localeCompare(b.eventId + b.reason)),
  });

  it('reads every page at most the batch size, re-runs each page before asking for the next, and agrees with the in-memory oracle', async () => {
    const { spy, seen } = spied(t.service.deps.store);
    const progress: ReplayProgress[] = [];
    const streamed = await new AuditService(spy, t.database.db, null as never, null as never).replay(
      auditor,
      {},
      { batchSize: BATCH, onProgress: (p) => progress.push(p) },
    );
    const oracle = await inMemoryReplay(t.service.deps.store);

    expect(seen.largestPage).toBeLessThanOrEqual(BATCH);
    expect(seen.readAllCalls).toBeGreaterThanOrEqual(DECISIONS / BATCH);
    expect(seen.streamBatchSizes.every((b) => b === BATCH)).toBe(true);
    // Progress after every page, each page's decisions re-run before the next page is read.
    const rerun = progress.filter((p) => p.phase === 'decisions').map((p) => p.done);
    expect(rerun.length).toBeGreaterThanOrEqual(DECISIONS / BATCH);
    rerun.forEach((done, i) => expect(done - (rerun[i - 1] ?? 0)).toBeLessThanOrEqual(BATCH));
    expect(rerun.at(-1)).toBe(DECISIONS);

    expect(oracle).toMatchObject({ decisionsInLog: DECISIONS, decisionsReplayed: DECISIONS, paymentsChecked: 3 });
    expect(oracle.mismatches).toHaveLength(1);
    expect(normalized(streamed)).toMatchObject(normalized(oracle));
    expect(streamed.ok).toBe(false);
  });

  it('agrees with the oracle on a range that holds no decision', async () => {
    const range = { from: '2024-01-01', to: '2024-12-31' };
    const streamed = await new AuditService(t.service.deps.store, t.database.db, null as never, null as never).replay(auditor, range, { batchSize: BATCH });
    expect(streamed).toMatchObject(await inMemoryReplay(t.service.deps.store, range));
    expect(streamed).toMatchObject({ decisionsInLog: 0, decisionsReplayed: 0, mismatches: [] });
  });
});
