import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuditService } from '../assistance/audit.service';
import { assistancePermissions } from '../permissions/assistance.permissions';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { START, type EventStore } from '../event-store';
import { operationsPermissions } from '../permissions/operations.permissions';
import { AuditRuns, type AuditRunner, type AuditRunKind } from './audit-runs';
import { runLedgerVerify, type LedgerRunStore } from './ledger-run';
import { ledgerPermissions } from '../permissions/ledger.permissions';

export interface AuditRunsDeps {
  db: Db;
  store: EventStore;
  ledger: LedgerRunStore;
  publicKey: KeyObject;
  audit: AuditService;
  clock: Clock;
  limit: number;
  retryAfterSeconds: number;
  batchSize: number;
  logger?: Logger;
}

/** The three kinds of audit run, each the streaming form of an existing synchronous check. */
export function createAuditRuns(deps: AuditRunsDeps): AuditRuns {
  const { db, store, publicKey, audit, clock } = deps;
  const runners: Record<AuditRunKind, AuditRunner> = {
    // The ledger against its signed heads: incremental from the last verified head, or full.
    ledger: {
      policy: ledgerPermissions.read,
      run: (request, { runId, progress }) =>
        runLedgerVerify({
          db,
          store,
          ledger: deps.ledger,
          publicKey,
          runId,
          mode: request.mode,
          batchSize: request.batchSize ?? deps.batchSize,
          onProgress: (p) => progress({ done: p.done, total: p.total, batches: p.batches }),
        }),
    },
    // Every hash chain, MAC and accumulator: the body of GET /api/v1/audit/verify.
    chains: {
      policy: operationsPermissions.verifyLog,
      run: async (request, { progress }) => {
        const total = await store.countAfter(START);
        let batches = 0;
        const report = await store.verify({
          batchSize: request.batchSize ?? deps.batchSize,
          onBatch: (done) => progress({ done, total, batches: ++batches }),
        });
        return { ok: report.broken.length === 0, ...report };
      },
    },
    // Every decision re-run: the body of POST /api/v1/audit/replay.
    replay: {
      policy: assistancePermissions.replay,
      run: (request, { actor, progress }) =>
        audit.replay({ actor, now: clock.now() }, request.range ?? {}, {
          batchSize: request.batchSize ?? deps.batchSize,
          onProgress: (p) => progress({ done: p.done, total: null, batches: p.batches }),
        }),
    },
  };
  return new AuditRuns(runners, clock, deps.limit, deps.retryAfterSeconds, deps.logger);
}
