import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TreeHead } from '../../src/application/ledger/tree-head';
import { ledgerStore } from '../../src/storage/ledger-store';
import type { TestApp } from './test-app';
import { eventually } from './wait';

/**
 * Seals every event appended so far, then signs a head over them. One catch-up is not enough on
 * a shared PostgreSQL server: the log is read only below the server-wide xmin horizon, so while
 * another database's transaction is in flight the newest events wait (the failure this replaced:
 * "unsealedEvents: 3" in the tampering file while a county was being seeded beside the suite).
 */
export async function sealEverything(t: TestApp): Promise<TreeHead> {
  const total = Number((await sql<{ n: string }>`select count(*)::text as n from es_events`.execute(t.database.db)).rows[0]!.n);
  await eventually(async () => {
    await t.service.deps.projections.catchUp();
    expect(await ledgerStore.sealedSize(t.database.db)).toBeGreaterThanOrEqual(total);
  }, 60_000);
  return (await t.service.ledger.sealHeadNow())!;
}
