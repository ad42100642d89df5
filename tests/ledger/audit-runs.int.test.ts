import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRun } from '../../src/application/ledger/audit-runs';
import { runLedgerVerify, type LedgerRunOptions } from '../../src/application/ledger/ledger-run';
import type { TreeHead } from '../../src/application/ledger/tree-head';
import { publicKeyFromPem } from '../../src/application/ledger/signing-key';
import { ledgerStore } from '../../src/storage/ledger-store';
import { newEvent } from '../support/events';
import { sealEverything } from '../support/seal-everything';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';
import { asDba, restoreLog, rewriteWithValidHashes, snapshotLog } from './tamper';

const backends = await availableBackends();

/**
 * Issue 20: audit runs that scale. Verify and the ledger run read the log in keyset pages of the
 * batch size asked for (memory holds one page), an incremental ledger run continues from the last
 * head a run verified, and the runs are resources with progress under a concurrency limit.
 */
describe.each(backends)('audit runs over 1,000 events, on %s', (backend) => {
  let t: TestApp;
  const streams = Array.from({ length: 40 }, () => `case-${randomUUID()}`);
  const heads: TreeHead[] = [];
  /** Events the service appended itself at start (its default policies), before the test's. */
  let base = 0;

  /** `perStream` events in each of the 40 streams, one append per stream. */
  async function appendRound(round: number, perStream: number): Promise<void> {
    const store = t.service.deps.store;
    for (const [i, streamId] of streams.entries()) {
      const version = await store.streamVersion(streamId);
      const events = Array.from({ length: perStream }, (_, k) => newEvent('LedgerTestRecorded', { round, stream: i, n: version + k + 1 }));
      await store.append(streamId, events, version === 0 ? 'no_stream' : version);
    }
  }

  const run = (options: Partial<LedgerRunOptions> = {}) =>
    runLedgerVerify({
      db: t.database.db,
      store: t.service.deps.store,
      ledger: ledgerStore,
      publicKey: publicKeyFromPem(t.service.ledger.publicKey().publicKeyPem),
      runId: randomUUID(),
      mode: 'full',
      ...options,
    });

  beforeAll(async () => {
    t = await startTestApp({ backend, env: { AUDIT_RUNS_MAX: '1' } });
    // The sealer runs when the test says so.
    await t.service.ledger.stop();
    for (let round = 0; round < 5; round++) {
      await appendRound(round, 5); // 200 events a round
      heads.push(await sealEverything(t));
    }
    base = heads[0]!.treeSize - 200;
    await snapshotLog(t.database.db);
  }, 120_000);
  afterAll(async () => t?.close());

  it('verifies the chains in pages of the batch size asked for: 1,000 events in ≥ 100 pages, the same report as one page', async () => {
    const store = t.service.deps.store;
    const whole = await store.verify({ batchSize: 100_000 });
    let pages = 0;
    const paged = await store.verify({ batchSize: 10, onBatch: () => pages++ });
    expect(whole.eventsChecked).toBe(base + 1000);
    expect(pages).toBeGreaterThanOrEqual(100);
    expect(paged).toEqual(whole);
    expect(paged.broken).toEqual([]);
  });

  it('rebuilds the ledger in pages of 10 (≥ 100) and finds every signed head, as a whole-log run does', async () => {
    let progressCalls = 0;
    const paged = await run({ batchSize: 10, onProgress: () => progressCalls++ });
    const whole = await run({ batchSize: 100_000 });
    expect(paged.batches).toBeGreaterThanOrEqual(100);
    expect(whole.batches).toBe(1);
    expect(progressCalls).toBeGreaterThan(100);
    expect(paged.ok, paged.problems.join('\n')).toBe(true);
    expect({ ...paged, batches: 0 }).toEqual({ ...whole, batches: 0 });
    expect(paged.headsChecked).toBe(5);
    expect(paged.verifiedThrough).toEqual({ treeSize: base + 1000, rootHash: heads[4]!.rootHash });
  });

  it('an incremental run reads only the events after the last verified head, and checks the consistency proof between the heads', async () => {
    await restoreLog(t.database.db);
    await run({ mode: 'full' });
    await appendRound(5, 3); // 120 more
    const latest = await sealEverything(t);
    const incremental = await run({ mode: 'incremental', batchSize: 50 });
    expect(incremental.ok, incremental.problems.join('\n')).toBe(true);
    expect(incremental.resumedFrom?.treeSize).toBe(base + 1000);
    expect(incremental.eventsRead).toBe(120);
    expect(incremental.consistency).toEqual({ first: base + 1000, second: base + 1120, ok: true });
    expect(incremental.verifiedThrough).toEqual({ treeSize: base + 1120, rootHash: latest.rootHash });
    // Nothing new: the next incremental run reads nothing.
    const again = await run({ mode: 'incremental' });
    expect(again.eventsRead).toBe(0);
    expect(again.ok).toBe(true);
    await sql`delete from audit_verified_heads`.execute(t.database.db);
    await sql`drop table snap_events`.execute(t.database.db);
    await sql`drop table snap_streams`.execute(t.database.db);
    await snapshotLog(t.database.db);
  });

  it('tampering after the last verified head is found by the incremental run; tampering before it only by the full run', async () => {
    const db = t.database.db;
    // Verified through the head of 600 leaves: a run recorded it, then the log went on.
    const full = await run({ mode: 'full', batchSize: 100 });
    expect(full.ok).toBe(true);
    await sql`delete from audit_verified_heads where tree_size > ${base + 600}`.execute(db);

    const leafStream = async (from: number, to: number) => {
      const r = await sql<{ stream_id: string; version: string }>`
        select e.stream_id, e.version from ledger_leaves l join es_events e on e.event_id = l.event_id
        where l.leaf_index >= ${from} and l.leaf_index < ${to} order by l.leaf_index limit 1`.execute(db);
      return { streamId: r.rows[0]!.stream_id, version: Number(r.rows[0]!.version) };
    };

    // After the verified head (leaf ≥ 600): rewritten with valid hashes, so only the tree shows it.
    const late = await leafStream(base + 700, base + 800);
    await asDba(db, (trx) => rewriteWithValidHashes(trx, late.streamId, late.version, { forged: 'late' }));
    const afterTamper = await run({ mode: 'incremental', batchSize: 25 });
    expect(afterTamper.resumedFrom?.treeSize).toBe(base + 600);
    expect(afterTamper.eventsRead).toBeLessThanOrEqual(520);
    expect(afterTamper.ok).toBe(false);
    expect(afterTamper.firstDifferingLeaf!.index).toBeGreaterThanOrEqual(base + 600);
    expect(afterTamper.problems.join('\n')).toMatch(/根哈希不同|封存的不同/);
    await restoreLog(db);

    // Before it (leaf < 600): the incremental run does not read that far back; the full run finds it.
    await sql`delete from audit_verified_heads where tree_size > ${base + 600}`.execute(db);
    const early = await leafStream(base + 100, base + 200);
    await asDba(db, async (trx) => {
      // The data as every reader gets it: its hashed text (0191).
      await sql`update es_events set data_jcs = ${JSON.stringify({ forged: 'early' })} where stream_id = ${early.streamId} and version = ${early.version}`.execute(
        trx,
      );
    });
    const incremental = await run({ mode: 'incremental' });
    expect(incremental.resumedFrom?.treeSize).toBe(base + 600);
    expect(incremental.ok).toBe(true);
    const fullAgain = await run({ mode: 'full', batchSize: 50 });
    expect(fullAgain.ok).toBe(false);
    expect(fullAgain.firstDifferingLeaf!.index).toBeLessThan(base + 600);
    expect(fullAgain.firstDifferingLeaf!.reason).toContain('事件内容与其哈希不符');
    await restoreLog(db);
  });

  it('does not continue from a recorded head whose edge does not fold to its signed root', async () => {
    const db = t.database.db;
    await run({ mode: 'full' });
    await sql`update audit_verified_heads set frontier = ${JSON.stringify(['0'.repeat(64)])}::jsonb where tree_size = ${base + 1120}`.execute(db);
    const report = await run({ mode: 'incremental' });
    expect(report.resumedFrom).toBeNull();
    expect(report.resumeRejected).toMatch(/核验记录/);
    expect(report.eventsRead).toBe(base + 1120);
    expect(report.ok).toBe(true);
  });

  it('POST /audit/runs starts a run (202, Location), GET shows its progress and report; the run beyond AUDIT_RUNS_MAX gets 429 with Retry-After', async () => {
    const auditor = bearer(t.token('auditor'));
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/audit/runs', headers: auditor, payload: { kind: 'chains', batchSize: 10 } });
    expect(first.statusCode, first.body).toBe(202);
    const started = first.json<AuditRun>();
    expect(first.headers.location).toBe(`/api/v1/audit/runs/${started.id}`);
    expect(started.state).toBe('running');

    const second = await t.app.inject({ method: 'POST', url: '/api/v1/audit/runs', headers: auditor, payload: { kind: 'ledger', mode: 'full' } });
    expect(second.statusCode, second.body).toBe(429);
    expect(second.headers['retry-after']).toBe('30');
    expect(second.json<{ type: string }>().type).toMatch(/busy$/);

    const seen: Array<{ done: number; batches: number }> = [];
    let body = started;
    while (body.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const res = await t.app.inject({ method: 'GET', url: first.headers.location as string, headers: auditor });
      expect(res.statusCode, res.body).toBe(200);
      body = res.json<AuditRun>();
      seen.push(body.progress);
    }
    expect(body.state).toBe('succeeded');
    expect(body.progress.total).toBe(base + 1120);
    expect(body.progress.done).toBe(base + 1120);
    expect(body.progress.batches).toBeGreaterThanOrEqual(100);
    expect(body.result).toMatchObject({ ok: true, eventsChecked: base + 1120, broken: [] });
    // The synchronous endpoint answers the same report.
    const sync = await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auditor });
    expect(sync.json<unknown>()).toEqual(body.result);

    // With the slot free again, the next run starts.
    const third = await t.app.inject({ method: 'POST', url: '/api/v1/audit/runs', headers: auditor, payload: { kind: 'ledger', mode: 'incremental' } });
    expect(third.statusCode, third.body).toBe(202);
    await t.service.services.auditRuns!.drain();
    const done = (await t.app.inject({ method: 'GET', url: `/api/v1/audit/runs/${third.json<AuditRun>().id}`, headers: auditor })).json<AuditRun>();
    expect(done.result).toMatchObject({ ok: true, mode: 'incremental' });
  });

  it('refuses runs to roles that are not auditors or admins, and unknown runs are 404', async () => {
    const worker = await t.app.inject({ method: 'POST', url: '/api/v1/audit/runs', headers: bearer(t.token('village_worker')), payload: { kind: 'chains' } });
    expect(worker.statusCode).toBe(403);
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/audit/runs/${randomUUID()}`, headers: bearer(t.token('auditor')) });
    expect(missing.statusCode).toBe(404);
  });
});
