import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerAuditReport } from '../../src/application/ledger/ledger-audit';
import type { TreeHead } from '../../src/application/ledger/tree-head';
import { main as auditVerify, verifyDatabase } from '../../src/cli/audit-verify';
import { newEvent } from '../support/events';
import { sealEverything } from '../support/seal-everything';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';
import { asDba, forgeAppend, restoreLog, rewriteWithValidHashes, snapshotLog, streamRows, swapGlobalOrder } from './tamper';

const backends = await availableBackends();

/**
 * The tampering cases of issue #12, each done with SQL after the auditor kept a signed head, each
 * caught by audit:verify given that head and by POST /api/v1/audit/ledger/verify given that head.
 */
describe.each(backends)('tampering after a head was kept, on %s', (backend) => {
  let t: TestApp;
  let kept: TreeHead;
  let latest: TreeHead;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-tamper-'));
  const headFile = join(dir, 'head.json');
  const keyFile = join(dir, 'public-key.pem');
  const s = { a: `case-${randomUUID()}`, b: `case-${randomUUID()}`, c: `worker-${randomUUID()}`, d: `village-${randomUUID()}`, e: `case-${randomUUID()}` };

  beforeAll(async () => {
    t = await startTestApp({ backend });
    // The sealer runs when the test says so: the log is tampered with while nothing seals it.
    await t.service.deps.projections.stop();
    await t.service.ledger.stop();
    const store = t.service.deps.store;
    const rec = (n: number, extra: Record<string, unknown> = {}) => newEvent('LedgerTestRecorded', { n, ...extra });
    await store.append(s.a, [rec(1), rec(2)], 'no_stream');
    await store.append(s.b, [rec(1)], 'no_stream');
    await store.append(s.c, [rec(1), rec(2), rec(3)], 'no_stream');
    await store.append(s.a, [rec(3)], 2);
    await store.append(s.b, [rec(2), rec(3)], 1);
    await store.append(s.d, [rec(1)], 'no_stream');
    await store.append(s.a, [rec(4)], 3);
    kept = await sealEverything(t);
    // The log goes on after the auditor kept the head.
    await store.append(s.e, [rec(1), rec(2)], 'no_stream');
    await store.append(s.c, [rec(4)], 3);
    latest = await sealEverything(t);
    await snapshotLog(t.database.db);
    writeFileSync(headFile, JSON.stringify(kept));
    writeFileSync(keyFile, t.service.ledger.publicKey().publicKeyPem);
  });
  afterAll(async () => t?.close());

  const leafOf = async (eventId: string) =>
    Number((await sql<{ leaf_index: string }>`select leaf_index from ledger_leaves where event_id = ${eventId}`.execute(t.database.db)).rows[0]!.leaf_index);
  const eventAt = async (streamId: string, version: number) => (await streamRows(t.database.db, streamId))[version - 1]!.event_id;

  async function viaEndpoint(head: TreeHead = kept): Promise<LedgerAuditReport> {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/audit/ledger/verify', headers: bearer(t.token('auditor')), payload: head });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** audit:verify itself on PostgreSQL (its own connection to the schema); on in-memory PGlite its core. */
  async function viaCli(): Promise<{ exitCode: number; report: LedgerAuditReport }> {
    if (backend === 'postgres') {
      let output = '';
      const exitCode = await auditVerify(
        ['--head', headFile, '--database-url', t.database.url!, '--schema', t.database.schema, '--public-key', keyFile, '--json'],
        (text) => (output += text),
        () => undefined,
      );
      return { exitCode, report: JSON.parse(output) };
    }
    const { publicKeyFromPem } = await import('../../src/application/ledger/signing-key');
    const report = await verifyDatabase(t.database, kept, publicKeyFromPem(t.service.ledger.publicKey().publicKeyPem));
    return { exitCode: report.ok ? 0 : 1, report };
  }

  async function expectCaught(check: (report: LedgerAuditReport) => void): Promise<void> {
    try {
      const endpoint = await viaEndpoint();
      const cli = await viaCli();
      for (const report of [endpoint, cli.report]) {
        expect(report.ok).toBe(false);
        expect(report.problems.length).toBeGreaterThan(0);
        check(report);
      }
      expect(cli.exitCode).toBe(1);
    } finally {
      await restoreLog(t.database.db);
    }
  }

  const expectLeaf = (index: number) => (report: LedgerAuditReport) => {
    expect(report.keptHead?.extended).toBe(false);
    expect(report.firstDifferingLeaf).toMatchObject({ index, exact: true });
  };
  const expectBrokenChain = (streamId: string) => (report: LedgerAuditReport) => {
    expect(report.chains.broken.map((b) => b.streamId)).toContain(streamId);
  };

  it('the untouched log extends the kept head and the latest head: both tools say OK', async () => {
    for (const head of [kept, latest]) {
      const report = await viaEndpoint(head);
      expect(report, report.problems.join('\n')).toMatchObject({
        ok: true,
        keptHead: { extended: true, signatureValid: true },
        firstDifferingLeaf: null,
        unsealedEvents: 0,
      });
    }
    const cli = await viaCli();
    expect(cli.report.problems).toEqual([]);
    expect(cli.exitCode).toBe(0);
    expect(latest.treeSize).toBe(kept.treeSize + 3);
  });

  it('a head whose signature is not the service key’s is refused', async () => {
    const forged = { ...kept, rootHash: 'ab'.repeat(32) };
    const report = await viaEndpoint(forged);
    expect(report.ok).toBe(false);
    expect(report.keptHead?.signatureValid).toBe(false);
  });

  it('1. changed data', async () => {
    const id = await eventAt(s.a, 2);
    await asDba(
      t.database.db,
      async (trx) => void (await sql`update es_events set data_jcs = jsonb_set(data_jcs::jsonb, '{n}', '99')::text where event_id = ${id}`.execute(trx)),
    );
    await expectCaught(expectBrokenChain(s.a));
  });

  it('2. changed actor', async () => {
    const id = await eventAt(s.b, 1);
    await asDba(
      t.database.db,
      async (trx) => void (await sql`update es_events set metadata = jsonb_set(metadata, '{actorId}', '"mallory"') where event_id = ${id}`.execute(trx)),
    );
    await expectCaught(expectBrokenChain(s.b));
  });

  it('3. changed schema version', async () => {
    const id = await eventAt(s.c, 2);
    await asDba(t.database.db, async (trx) => void (await sql`update es_events set schema_version = 7 where event_id = ${id}`.execute(trx)));
    await expectCaught(expectBrokenChain(s.c));
  });

  it('4. changed event id', async () => {
    const id = await eventAt(s.a, 1);
    const leaf = await leafOf(id);
    await asDba(t.database.db, async (trx) => void (await sql`update es_events set event_id = ${randomUUID()} where event_id = ${id}`.execute(trx)));
    await expectCaught((report) => {
      expectBrokenChain(s.a)(report);
      expect(report.firstDifferingLeaf).toMatchObject({ index: leaf, sealed: { eventId: id } });
    });
  });

  it('5. two events swapped inside a stream', async () => {
    await asDba(t.database.db, async (trx) => {
      await sql`update es_events set version = -2 where stream_id = ${s.c} and version = 2`.execute(trx);
      await sql`update es_events set version = 2 where stream_id = ${s.c} and version = 3`.execute(trx);
      await sql`update es_events set version = 3 where stream_id = ${s.c} and version = -2`.execute(trx);
    });
    await expectCaught(expectBrokenChain(s.c));
  });

  it('6. changed recorded_at', async () => {
    const id = await eventAt(s.d, 1);
    await asDba(
      t.database.db,
      async (trx) => void (await sql`update es_events set recorded_at = recorded_at - interval '1 day' where event_id = ${id}`.execute(trx)),
    );
    await expectCaught(expectBrokenChain(s.d));
  });

  it('7. the last event of a stream deleted, its stream row left alone', async () => {
    const id = await eventAt(s.b, 3);
    const leaf = await leafOf(id);
    await asDba(t.database.db, async (trx) => void (await sql`delete from es_events where event_id = ${id}`.execute(trx)));
    await expectCaught((report) => {
      expectLeaf(leaf)(report);
      expectBrokenChain(s.b)(report);
    });
  });

  it('8. every event of a stream deleted, its stream row left alone', async () => {
    const leaf = await leafOf(await eventAt(s.c, 1));
    await asDba(t.database.db, async (trx) => void (await sql`delete from es_events where stream_id = ${s.c}`.execute(trx)));
    await expectCaught((report) => {
      expectLeaf(leaf)(report);
      expect(report.firstDifferingLeaf?.sealed?.streamId).toBe(s.c);
    });
  });

  it('9. the last event of a stream deleted AND the stream row fixed (missed by the chains alone: caught by the tree)', async () => {
    const rows = await streamRows(t.database.db, s.b);
    const leaf = await leafOf(rows[2]!.event_id);
    await asDba(t.database.db, async (trx) => {
      await sql`delete from es_events where event_id = ${rows[2]!.event_id}`.execute(trx);
      await sql`update es_streams set version = 2, last_hash = ${rows[1]!.hash} where stream_id = ${s.b}`.execute(trx);
    });
    await expectCaught((report) => {
      expectLeaf(leaf)(report);
      expect(report.firstDifferingLeaf?.sealed?.eventId).toBe(rows[2]!.event_id);
    });
  });

  it('10. a whole stream deleted, events and stream row (missed by the chains alone: caught by the tree)', async () => {
    const leaf = await leafOf(await eventAt(s.d, 1));
    await asDba(t.database.db, async (trx) => {
      await sql`delete from es_events where stream_id = ${s.d}`.execute(trx);
      await sql`delete from es_streams where stream_id = ${s.d}`.execute(trx);
    });
    await expectCaught((report) => {
      expectLeaf(leaf)(report);
    });
  });

  it('11. one event rewritten with every later hash recomputed by the published algorithm (missed by the chains alone: caught by the tree)', async () => {
    const leaf = await leafOf(await eventAt(s.a, 2));
    await asDba(t.database.db, (trx) => rewriteWithValidHashes(trx, s.a, 2, { n: 2, amountFen: 999_999 }));
    await expectCaught((report) => {
      expectLeaf(leaf)(report);
      expect(report.firstDifferingLeaf?.log?.streamId).toBe(s.a);
    });
  });

  it('12. a forged event with a valid hash, placed inside the history the head covers (missed by the chains alone: caught by the tree)', async () => {
    // Given the transaction id of an early event, the forged row sorts into the sealed history.
    const early = (await sql<{ t: string }>`select transaction_id::text as t from es_events where event_id = ${await eventAt(s.b, 2)}`.execute(t.database.db))
      .rows[0]!.t;
    await asDba(t.database.db, (trx) => forgeAppend(trx, s.d, randomUUID(), { transactionId: early }));
    await expectCaught((report) => {
      expect(report.keptHead?.extended).toBe(false);
      expect(report.firstDifferingLeaf?.exact).toBe(true);
    });
  });

  it('12b. a forged event with a valid hash appended at the end of the log, after the last head: caught by the per-append MAC (the service holds the key)', async () => {
    // The tree cannot see past its last head; the MAC key is outside the database, so a row written
    // with SQL carries no valid MAC. The offline tool reads without the key, so only the service's
    // verify (which has it) is asked here.
    await asDba(t.database.db, (trx) => forgeAppend(trx, s.d, randomUUID()));
    try {
      const report = await viaEndpoint();
      expect(report.ok).toBe(false);
      expectBrokenChain(s.d)(report);
    } finally {
      await restoreLog(t.database.db);
    }
  });

  it('13. the global order rewritten: two events of different streams trade places (missed by the chains alone: caught by the tree)', async () => {
    const first = await eventAt(s.a, 1);
    const second = await eventAt(s.c, 1);
    const leaf = Math.min(await leafOf(first), await leafOf(second));
    await asDba(t.database.db, (trx) => swapGlobalOrder(trx, first, second));
    await expectCaught((report) => {
      expectLeaf(leaf)(report);
    });
  });

  it("11b. the rewrite also copied into the ledger's own leaves: the signed heads still catch it, bounding where", async () => {
    const id = await eventAt(s.a, 2);
    const leaf = await leafOf(id);
    const original = (await sql<{ event_hash: string }>`select event_hash from ledger_leaves where leaf_index = ${leaf}`.execute(t.database.db)).rows[0]!
      .event_hash;
    await asDba(t.database.db, async (trx) => {
      await rewriteWithValidHashes(trx, s.a, 2, { n: 2, amountFen: 999_999 });
      const rows = await streamRows(trx, s.a);
      for (const row of rows) await sql`update ledger_leaves set event_hash = ${row.hash} where event_id = ${row.event_id}`.execute(trx);
    });
    try {
      await expectCaught((report) => {
        expect(report.keptHead?.extended).toBe(false);
        expect(report.firstDifferingLeaf).toMatchObject({ exact: false });
        expect(report.firstDifferingLeaf!.index).toBeLessThanOrEqual(leaf);
        expect(report.firstDifferingLeaf!.before).toBeGreaterThan(leaf);
        expect(report.storedHeads.invalid.map((h) => h.treeSize)).toEqual([kept.treeSize, latest.treeSize]);
      });
    } finally {
      const rows = (await sql<{ event_id: string; hash: string }>`select event_id, hash from snap_events where stream_id = ${s.a}`.execute(t.database.db)).rows;
      for (const row of rows) await sql`update ledger_leaves set event_hash = ${row.hash} where event_id = ${row.event_id}`.execute(t.database.db);
      expect(
        (await sql<{ event_hash: string }>`select event_hash from ledger_leaves where leaf_index = ${leaf}`.execute(t.database.db)).rows[0]!.event_hash,
      ).toBe(original);
    }
  });

  it('14. only the stream row deleted (missed by the chains alone: caught by the stream-row check)', async () => {
    await asDba(t.database.db, async (trx) => void (await sql`delete from es_streams where stream_id = ${s.a}`.execute(trx)));
    await expectCaught((report) => {
      expect(report.streamsWithoutRow).toEqual([s.a]);
    });
  });
});
