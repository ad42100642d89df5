import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/application/clock';
import { START, type RecordedEvent } from '../../src/application/event-store';
import { LedgerSealer } from '../../src/application/ledger/ledger-sealer';
import { MerkleBuilder, leafHash } from '../../src/application/ledger/merkle';
import { generateLedgerKeyPem, ledgerKeyFromPem } from '../../src/application/ledger/signing-key';
import { verifyTreeHead } from '../../src/application/ledger/tree-head';
import { ledgerStore } from '../../src/storage/ledger-store';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { newEvent } from '../support/events';
import { eventually } from '../support/wait';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();

describe.each(backends)('the ledger sealer on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  const key = ledgerKeyFromPem(generateLedgerKeyPem());
  const clock = new FixedClock(new Date('2026-03-02T09:00:00.000Z'));
  let after = START;
  let appended = 0;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = new SqlEventStore(database, { notify: false });
  });
  afterAll(async () => database?.close());

  async function append(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await store.append(`s-${crypto.randomUUID()}`, [newEvent('Sealed', { i })], 'no_stream');
    appended += n;
  }
  /**
   * What the projection runner does: the next gap-safe page, sealed in one transaction, page
   * after page until every appended event is sealed (a gap-safe read may hold the newest events
   * back while another transaction on the shared server is open). Answers the newest head signed.
   */
  async function sealPending(sealer: LedgerSealer) {
    let head: Awaited<ReturnType<LedgerSealer['seal']>> = null;
    await eventually(async () => {
      const page = await store.readAll(after, 1000);
      if (page.events.length > 0) {
        head = (await database.db.transaction().execute((trx) => sealer.seal(trx, page.events))) ?? head;
        after = page.next;
      }
      expect(await ledgerStore.sealedSize(database.db)).toBe(appended);
    }, 30_000);
    return head;
  }
  async function everything(): Promise<RecordedEvent[]> {
    return (await store.readAll(START, 10_000)).events;
  }

  describe('given a policy of 4 events or 60 seconds', () => {
    const policy = { everyEvents: 4, everySeconds: 60 };
    const sealer = new LedgerSealer(key, clock, policy);

    it('signs no head for 3 new events within 60 s', async () => {
      await append(3);
      expect(await sealPending(sealer)).toBeNull();
      expect(await sealer.sealHead(database.db)).toBeNull();
      expect(await ledgerStore.sealedSize(database.db)).toBe(3);
    });

    it('signs a head when 60 s have passed (the timer’s path)', async () => {
      clock.advance(61_000);
      const head = await sealer.sealHead(database.db);
      expect(head).toMatchObject({ treeSize: 3, timestamp: clock.now().toISOString() });
      expect(verifyTreeHead(head!, key.publicKey)).toBe(true);
      // Nothing new: no second head of the same size, even when asked to force one.
      expect(await sealer.sealHead(database.db, true)).toBeNull();
    });

    it('signs a head as soon as 4 new events are sealed', async () => {
      clock.advance(1000);
      await append(2);
      expect(await sealPending(sealer)).toBeNull();
      await append(2);
      const head = await sealPending(sealer);
      expect(head).toMatchObject({ treeSize: 7 });
    });

    it('continues the same tree after a restart, and its root is the tree of the log in global order', async () => {
      await append(5);
      const restarted = new LedgerSealer(key, clock, policy);
      // Pages may split the 5 events (4 + 1 signs a head at 11): then a forced head covers all 12.
      const sealed = await sealPending(restarted);
      const head = (await restarted.sealHead(database.db, true)) ?? sealed;
      const events = await everything();
      const builder = new MerkleBuilder();
      for (const e of events) builder.push(leafHash(e.hash));
      expect(head).toMatchObject({ treeSize: events.length, rootHash: builder.root().toString('hex') });
      const leaves = await ledgerStore.leaves(database.db, 0, 100);
      expect(leaves.map((l) => l.eventId)).toEqual(events.map((e) => e.eventId));
    });
  });
});
