import type { KeyObject } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { START, type EventStore, type Position } from '../event-store';
import { eventHash } from '../hash-chain';
import { yieldEvery } from '../yield-to-event-loop';
import { MerkleBuilder, consistencyProof, leafHash, nodesNeeded, verifyConsistency, type NodeLookup } from './merkle';
import { verifyTreeHead, type TreeHead } from './tree-head';
import type { Db } from '../db';

export type LedgerRunMode = 'incremental' | 'full';

/** A signed head an audit run re-derived from the log: where the next incremental run starts. */
export interface VerifiedHead {
  treeSize: number;
  rootHash: string;
  /** The log position of the head's last leaf (readAll continues after it). */
  logPosition: string;
  /** The tree's right edge, hex by level (null where the size has no bit). */
  frontier: Array<string | null>;
  runId: string;
  verifiedAt: string;
}

/** What a run reads from the ledger's tables and records there (storage/ledger-store.ts implements it). */
export interface LedgerRunStore {
  latestHead(db: Db): Promise<TreeHead | null>;
  headAtSize(db: Db, treeSize: number): Promise<TreeHead | null>;
  headsBetween(db: Db, range: { after?: number; limit: number }): Promise<TreeHead[]>;
  leaves(db: Db, from: number, limit: number): Promise<Array<{ leafIndex: number; eventId: string; eventHash: string }>>;
  nodes(db: Db, wanted: ReadonlyArray<{ level: number; index: number }>): Promise<Map<string, Buffer>>;
  lastVerifiedHead(db: Db, maxSize: number): Promise<VerifiedHead | null>;
  recordVerifiedHead(db: Db, head: Omit<VerifiedHead, 'verifiedAt'>): Promise<void>;
}

export interface LedgerRunProgress {
  /** Leaves re-derived from the log so far (counting those the resumed head already covered). */
  done: number;
  /** The size of the latest signed head when the run started: where it stops. */
  total: number;
  batches: number;
}

export interface LedgerRunOptions {
  db: Db;
  store: EventStore;
  ledger: LedgerRunStore;
  publicKey: KeyObject;
  runId: string;
  /** incremental: continue from the last head a run verified and recorded; full: from leaf 0. */
  mode: LedgerRunMode;
  /** Events per keyset page of the log (memory holds one page). */
  batchSize?: number;
  onProgress?: (progress: LedgerRunProgress) => void;
}

export interface LedgerRunReport {
  ok: boolean;
  mode: LedgerRunMode;
  /** The verified head this run continued from (incremental), or null (from leaf 0). */
  resumedFrom: { treeSize: number; rootHash: string; verifiedAt: string } | null;
  /** Why a recorded head could not be continued from (the run then started at leaf 0). */
  resumeRejected: string | null;
  /** The latest signed head when the run started. */
  target: { treeSize: number; rootHash: string; timestamp: string } | null;
  /** The RFC 9162 consistency proof between the resumed head and the target, checked against both signed roots. */
  consistency: { first: number; second: number; ok: boolean } | null;
  /** Events read from the log (the incremental path reads only those after the resumed head). */
  eventsRead: number;
  batches: number;
  /** Signed heads whose root this run recomputed from the log. */
  headsChecked: number;
  /** The largest head the log was found to extend, recorded for the next run. */
  verifiedThrough: { treeSize: number; rootHash: string } | null;
  /** The first leaf whose event differs (from its hash, or from what the ledger sealed there). */
  firstDifferingLeaf: { index: number; eventId: string | null; streamId: string | null; reason: string } | null;
  problems: string[];
}

/**
 * An audit run over the ledger that scales (issue 20): the log is read in keyset pages, leaf by
 * leaf into a tree that keeps only its right edge, and every signed head met on the way is checked
 * against the recomputed root; each event's hash is recomputed from its stored content. The
 * largest head the log extends is recorded with the tree's edge and log position, so the next
 * incremental run reads only the events after it: it first checks that the recorded edge folds to
 * that head's signed root and that the ledger proves the head consistent with the latest one.
 * Tampering before the recorded head is the full run's to find (mode 'full').
 */
export async function runLedgerVerify(options: LedgerRunOptions): Promise<LedgerRunReport> {
  const { db, store, ledger: ledgerStore, publicKey, mode } = options;
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const problems: string[] = [];
  const report: LedgerRunReport = {
    ok: false,
    mode,
    resumedFrom: null,
    resumeRejected: null,
    target: null,
    consistency: null,
    eventsRead: 0,
    batches: 0,
    headsChecked: 0,
    verifiedThrough: null,
    firstDifferingLeaf: null,
    problems,
  };
  const finish = () => ({ ...report, ok: problems.length === 0 });

  const target = await ledgerStore.latestHead(db);
  if (!target) return finish();
  report.target = { treeSize: target.treeSize, rootHash: target.rootHash, timestamp: target.timestamp };
  if (!verifyTreeHead(target, publicKey)) {
    problems.push(`最新树头（大小 ${target.treeSize}）签名无效：它不是本服务的密钥签发的`);
    return finish();
  }

  let builder = new MerkleBuilder();
  let position: Position = START;
  if (mode === 'incremental') {
    const recorded = await ledgerStore.lastVerifiedHead(db, target.treeSize);
    if (recorded) {
      const resumed = await resumeFrom(ledgerStore, db, publicKey, recorded);
      if (typeof resumed === 'string') report.resumeRejected = resumed;
      else {
        builder = resumed.builder;
        position = recorded.logPosition as Position;
        report.resumedFrom = { treeSize: recorded.treeSize, rootHash: recorded.rootHash, verifiedAt: recorded.verifiedAt };
        report.consistency = await checkConsistency(ledgerStore, db, resumed.head, target);
        if (!report.consistency.ok) {
          problems.push(`账本不能证明已核验的树头（大小 ${resumed.head.treeSize}）与最新树头（大小 ${target.treeSize}）一致：账本表被改写`);
        }
      }
    }
  }

  // Heads between the start and the target, in keyset pages, checked as the tree reaches each size.
  let upcoming: TreeHead[] = [];
  let headsAfter = builder.size;
  const nextHead = async (): Promise<TreeHead | null> => {
    if (upcoming.length === 0 && headsAfter < target.treeSize) {
      upcoming = (await ledgerStore.headsBetween(db, { after: headsAfter, limit: 200 })).filter((h) => h.treeSize <= target.treeSize);
      headsAfter = upcoming.length ? upcoming[upcoming.length - 1]!.treeSize : target.treeSize;
    }
    return upcoming.shift() ?? null;
  };
  let head = await nextHead();
  let verified: Omit<VerifiedHead, 'verifiedAt'> | null = null;
  const progress = () => options.onProgress?.({ done: builder.size, total: target.treeSize, batches: report.batches });
  progress();

  let failed = false;
  let recordedSize = builder.size;
  const breathe = yieldEvery(100);
  while (builder.size < target.treeSize && !failed) {
    const page = await store.readAll(position, Math.min(batchSize, target.treeSize - builder.size), { asStored: true });
    if (page.events.length === 0) break;
    const from = builder.size;
    const sealed = await ledgerStore.leaves(db, from, page.events.length);
    for (const e of page.events) {
      await breathe();
      const index = builder.size;
      if (!report.firstDifferingLeaf) {
        const recomputed = eventHash(e);
        const leaf = sealed[index - from];
        const reason =
          recomputed !== e.hash
            ? '事件内容与其哈希不符：事件被改动'
            : !leaf || leaf.leafIndex !== index || leaf.eventHash !== e.hash || leaf.eventId !== e.eventId
              ? '日志中的事件与账本在此封存的不同'
              : null;
        if (reason) {
          report.firstDifferingLeaf = { index, eventId: e.eventId, streamId: e.streamId, reason };
          problems.push(`第 ${index} 个叶子：${reason}`);
        }
      }
      builder.push(leafHash(e.hash));
      position = e.position;
      while (head && head.treeSize < builder.size) head = await nextHead();
      if (head && head.treeSize === builder.size) {
        report.headsChecked++;
        const root = builder.root().toString('hex');
        if (!verifyTreeHead(head, publicKey)) {
          problems.push(`已存树头（大小 ${head.treeSize}）签名无效：该树头不是本服务的密钥签发的`);
          failed = true;
          break;
        }
        if (root !== head.rootHash) {
          problems.push(`日志不再延续已签名树头（大小 ${head.treeSize}）：前 ${head.treeSize} 条事件的根哈希不同`);
          failed = true;
          break;
        }
        if (problems.length === 0) {
          verified = { treeSize: head.treeSize, rootHash: head.rootHash, logPosition: position, frontier: builder.edgeHex(), runId: options.runId };
        }
        head = await nextHead();
      }
    }
    report.eventsRead += page.events.length;
    report.batches++;
    // Recorded as the run goes, so a run cut short (a restart) is resumed from its last head.
    if (verified && verified.treeSize > recordedSize) {
      await ledgerStore.recordVerifiedHead(db, verified);
      recordedSize = verified.treeSize;
    }
    progress();
    // Hashing a page is CPU work on the thread that answers /health: give it a turn between pages.
    await nextTurn();
  }
  if (!failed && builder.size < target.treeSize) {
    problems.push(`日志只有 ${builder.size} 条事件，短于最新签名树头（${target.treeSize}）：有事件被删除`);
  }
  // The last head matched before any problem is verified, whatever was found after it.
  if (verified && verified.treeSize > recordedSize) await ledgerStore.recordVerifiedHead(db, verified);
  const through = verified ?? report.resumedFrom;
  report.verifiedThrough = through && report.consistency?.ok !== false ? { treeSize: through.treeSize, rootHash: through.rootHash } : null;
  return finish();
}

/** A recorded head is continued from only when its edge folds to the root its head signs. */
async function resumeFrom(
  ledgerStore: LedgerRunStore,
  db: Db,
  publicKey: KeyObject,
  recorded: VerifiedHead,
): Promise<{ builder: MerkleBuilder; head: TreeHead } | string> {
  const head = await ledgerStore.headAtSize(db, recorded.treeSize);
  if (!head) return `已核验的树头（大小 ${recorded.treeSize}）已不在账本中`;
  if (!verifyTreeHead(head, publicKey)) return `已核验的树头（大小 ${recorded.treeSize}）签名无效`;
  const builder = MerkleBuilder.fromEdgeHex(recorded.treeSize, recorded.frontier);
  if (!builder || builder.root().toString('hex') !== head.rootHash || recorded.rootHash !== head.rootHash) {
    return `核验记录（大小 ${recorded.treeSize}）与签名树头不符：从第 0 个叶子起重新核验`;
  }
  return { builder, head };
}

async function checkConsistency(
  ledgerStore: LedgerRunStore,
  db: Db,
  first: TreeHead,
  second: TreeHead,
): Promise<{ first: number; second: number; ok: boolean }> {
  const m = first.treeSize;
  const n = second.treeSize;
  if (m === n) return { first: m, second: n, ok: first.rootHash === second.rootHash };
  const wanted = nodesNeeded((node) => consistencyProof(m, n, node));
  const stored = await ledgerStore.nodes(db, wanted);
  let missing = false;
  const lookup: NodeLookup = (level, index) => {
    const hash = stored.get(`${level}:${index}`);
    if (!hash) {
      missing = true;
      return Buffer.alloc(32);
    }
    return hash;
  };
  const proof = consistencyProof(m, n, lookup);
  const ok = !missing && verifyConsistency(m, n, proof, Buffer.from(first.rootHash, 'hex'), Buffer.from(second.rootHash, 'hex'));
  return { first: m, second: n, ok };
}
