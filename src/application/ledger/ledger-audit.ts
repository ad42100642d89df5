import { sql } from 'kysely';
import type { KeyObject } from 'node:crypto';
import type { EventStore, VerifiedEvent, VerifyReport } from '../event-store';
import { HASH_FORMAT } from '../hash-chain';
import { ledgerStore, type LedgerLeaf } from '../../storage/ledger-store';
import { MerkleBuilder, leafHash } from './merkle';
import { verifyTreeHead, type TreeHead } from './tree-head';
import type { Db } from '../db';

/** An event as it sits at one leaf position, in the log now or as sealed. */
export interface LeafEntry {
  eventId: string;
  streamId: string;
  version: number;
  eventHash: string;
}

export interface DifferingLeaf {
  /** 0-based leaf index in the global order. */
  index: number;
  /** False when the stored leaves were rewritten too: the difference lies at or after `index`, before `before`. */
  exact: boolean;
  before?: number;
  /** What the ledger sealed there (null: nothing sealed, or the sealed leaves cannot be trusted). */
  sealed: LeafEntry | null;
  /** What the log holds there now (null: the log ends before it). */
  log: LeafEntry | null;
}

export interface LedgerAuditReport {
  ok: boolean;
  hashFormat: number;
  keptHead: {
    treeSize: number;
    rootHash: string;
    signatureValid: boolean;
    /** The root of the log's first treeSize leaves, recomputed (null: the log is shorter). */
    recomputedRoot: string | null;
    /** True when the current log still extends the kept head. */
    extended: boolean;
  } | null;
  logSize: number;
  sealedSize: number;
  /** Events after the last sealed leaf (the sealer has not reached them yet: not an error). */
  unsealedEvents: number;
  firstDifferingLeaf: DifferingLeaf | null;
  storedHeads: { checked: number; invalid: Array<{ treeSize: number; reason: string }> };
  chains: VerifyReport;
  /** Streams whose events exist without the stream row (the next append to them would fail). */
  streamsWithoutRow: string[];
  /** One line per failure, in Chinese, for people. */
  problems: string[];
}

export interface LedgerAuditOptions {
  db: Db;
  store: EventStore;
  publicKey: KeyObject;
  /** A head the auditor kept; without one, the log is checked against the stored heads only. */
  keptHead?: TreeHead | null;
  onProgress?: (done: number, total: number) => void;
  pageSize?: number;
}

const entryOf = (l: LedgerLeaf | VerifiedEvent): LeafEntry => ({
  eventId: l.eventId,
  streamId: l.streamId,
  version: l.version,
  eventHash: 'eventHash' in l ? l.eventHash : l.hash,
});

/**
 * The audit of docs/AUDIT.md: rebuild the tree from the log in its global order and compare it
 * with a kept head, with every stored head (signature and root) and with the sealed leaves;
 * check every per-stream chain (the store's verify) and that every stream with events has its
 * row. Reads the log directly; trusts nothing in the database that is not signed.
 */
export async function auditLedger(options: LedgerAuditOptions): Promise<LedgerAuditReport> {
  const { db, store, publicKey } = options;
  const kept = options.keptHead ?? null;
  const pageSize = options.pageSize ?? 5000;
  const problems: string[] = [];

  const total = Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(db)).rows[0]!.n);
  const sealedSize = await ledgerStore.sealedSize(db);
  const heads = await ledgerStore.allHeads(db);
  const headsBySize = new Map(heads.map((h) => [h.treeSize, h]));
  const invalidHeads: Array<{ treeSize: number; reason: string }> = [];
  const validHeadSizes: number[] = [];
  for (const h of heads) {
    if (!verifyTreeHead(h, publicKey)) invalidHeads.push({ treeSize: h.treeSize, reason: '签名无效：该树头不是本服务的密钥签发的' });
  }

  const keptValid = kept ? verifyTreeHead(kept, publicKey) : true;
  if (kept && !keptValid) problems.push(`所保存的树头（大小 ${kept.treeSize}）签名无效：它不是本服务的密钥签发的`);
  if (kept && kept.hashFormat !== HASH_FORMAT) problems.push(`所保存的树头使用哈希格式 ${kept.hashFormat}，本服务为 ${HASH_FORMAT}`);

  // One pass over the log in global order: a tree from the log, a tree from the sealed leaves.
  const fromLog = new MerkleBuilder();
  // The tree of the sealed leaves is the log's own until they first differ: only then is it built apart.
  let fromSealed: MerkleBuilder | null = null;
  let keptRootFromLog: string | null = null;
  let keptRootFromSealed: string | null = null;
  let firstLogVsSealed: { index: number; sealed: LeafEntry | null; log: LeafEntry | null } | null = null;
  const rootsAt = new Map<number, string>();
  let sealedBuffer: LedgerLeaf[] = [];
  let sealedNext = 0;
  // Sealed leaves come in pages, the next page fetched while the current one is compared.
  let prefetch: { from: number; page: Promise<LedgerLeaf[]> } | null = null;
  const fetchLeaves = (from: number) => {
    const page = ledgerStore.leaves(db, from, pageSize);
    page.catch(() => undefined);
    return { from, page };
  };
  const nextSealed = async (index: number): Promise<LedgerLeaf | null> => {
    if (index >= sealedSize) return null;
    if (index - sealedNext >= sealedBuffer.length) {
      sealedNext = index;
      sealedBuffer = prefetch?.from === index ? await prefetch.page : await ledgerStore.leaves(db, index, pageSize);
      prefetch = index + pageSize < sealedSize ? fetchLeaves(index + sealedBuffer.length) : null;
    }
    const leaf = sealedBuffer[index - sealedNext] ?? null;
    return leaf && leaf.leafIndex === index ? leaf : null;
  };
  const atSize = (size: number) => {
    if (kept && size === kept.treeSize) {
      keptRootFromLog = fromLog.size === size ? fromLog.root().toString('hex') : keptRootFromLog;
      if (fromSealed) keptRootFromSealed = fromSealed.size === size ? fromSealed.root().toString('hex') : keptRootFromSealed;
      else keptRootFromSealed = size <= sealedSize ? keptRootFromLog : null;
    }
    if (headsBySize.has(size) && fromLog.size === size) rootsAt.set(size, fromLog.root().toString('hex'));
  };
  atSize(0);

  // One reading of the log in its global order (issue 20): the store's whole-log verify checks each
  // event's link and MAC, and hands each page on with the stored hashes the tree is built from.
  let index = 0;
  const chains = await store.verify({
    batchSize: pageSize,
    onPage: async (events) => {
      for (const e of events) {
        const sealed = await nextSealed(index);
        if (!fromSealed && index < sealedSize && sealed?.eventHash !== e.hash) fromSealed = fromLog.clone();
        fromLog.push(e.leaf ?? leafHash(e.hash));
        if (fromSealed && sealed) fromSealed.push(leafHash(sealed.eventHash));
        if (!firstLogVsSealed && index < sealedSize && (!sealed || sealed.eventHash !== e.hash || sealed.eventId !== e.eventId)) {
          firstLogVsSealed = { index, sealed: sealed ? entryOf(sealed) : null, log: entryOf(e) };
        }
        index++;
        atSize(index);
      }
      options.onProgress?.(index, Math.max(total, index));
    },
  });
  const logSize = index;
  // Sealed leaves past the end of the log: events were deleted from its end.
  if (!firstLogVsSealed && logSize < sealedSize) {
    const sealed = await nextSealed(logSize);
    firstLogVsSealed = { index: logSize, sealed: sealed ? entryOf(sealed) : null, log: null };
  }
  if (!fromSealed && logSize < sealedSize) fromSealed = fromLog.clone();
  for (let i = logSize; fromSealed && i < sealedSize && kept && fromSealed.size < kept.treeSize; i++) {
    const sealed = await nextSealed(i);
    if (!sealed) break;
    fromSealed.push(leafHash(sealed.eventHash));
    if (fromSealed.size === kept.treeSize) keptRootFromSealed = fromSealed.root().toString('hex');
  }

  // Every stored head must carry a valid signature and be the root of the log's prefix of its size.
  for (const h of heads) {
    if (invalidHeads.some((i) => i.treeSize === h.treeSize)) continue;
    const root = rootsAt.get(h.treeSize);
    if (root === undefined) invalidHeads.push({ treeSize: h.treeSize, reason: `日志只有 ${logSize} 条事件，短于该树头` });
    else if (root !== h.rootHash) invalidHeads.push({ treeSize: h.treeSize, reason: '日志前缀的根哈希与该签名树头不符' });
    else validHeadSizes.push(h.treeSize);
  }
  for (const i of invalidHeads) problems.push(`已存树头（大小 ${i.treeSize}）：${i.reason}`);

  let keptReport: LedgerAuditReport['keptHead'] = null;
  let firstDifferingLeaf: DifferingLeaf | null = null;
  if (kept) {
    const extended = keptValid && keptRootFromLog !== null && keptRootFromLog === kept.rootHash;
    keptReport = { treeSize: kept.treeSize, rootHash: kept.rootHash, signatureValid: keptValid, recomputedRoot: keptRootFromLog, extended };
    if (keptValid && !extended) {
      problems.push(
        keptRootFromLog === null
          ? `日志只有 ${logSize} 条事件，短于所保存的树头（${kept.treeSize}）：有事件被删除`
          : `日志不再延续所保存的树头：前 ${kept.treeSize} 条事件的根哈希不同`,
      );
      firstDifferingLeaf = locate(kept, keptRootFromSealed, firstLogVsSealed, validHeadSizes, logSize);
    }
  }
  // Without a kept head (or beyond it), sealed leaves that differ from the log are tampering too.
  const differing: typeof firstLogVsSealed = firstLogVsSealed;
  if (!firstDifferingLeaf && differing) {
    const trusted = validHeadSizes.some((s) => s > differing.index);
    firstDifferingLeaf = { ...differing, exact: true };
    problems.push(`第 ${differing.index} 个叶子：日志中的事件与账本已封存的不同${trusted ? '（已签名树头证实封存的是原样）' : ''}`);
  }

  for (const b of chains.broken) problems.push(`流 ${b.streamId} 第 ${b.version} 版：哈希链断裂（${b.reason}）`);
  const orphans = await sql<{ stream_id: string }>`
    select distinct e.stream_id from es_events e where not exists (select 1 from es_streams s where s.stream_id = e.stream_id) order by 1 limit 100`.execute(
    db,
  );
  const streamsWithoutRow = orphans.rows.map((r) => r.stream_id);
  for (const s of streamsWithoutRow) problems.push(`流 ${s} 有事件却没有流记录（es_streams 中的行被删除）`);

  return {
    ok: problems.length === 0,
    hashFormat: HASH_FORMAT,
    keptHead: keptReport,
    logSize,
    sealedSize,
    unsealedEvents: Math.max(0, logSize - sealedSize),
    firstDifferingLeaf,
    storedHeads: { checked: heads.length, invalid: invalidHeads },
    chains,
    streamsWithoutRow,
    problems,
  };
}

/**
 * Where the log first departs from a kept head. When the sealed leaves reproduce the kept root
 * they are the original ones, and the first leaf where the log differs from them is exact.
 * Otherwise (the ledger tables were rewritten too) the signed heads that still match bound it.
 */
function locate(
  kept: TreeHead,
  keptRootFromSealed: string | null,
  firstLogVsSealed: { index: number; sealed: LeafEntry | null; log: LeafEntry | null } | null,
  validHeadSizes: readonly number[],
  logSize: number,
): DifferingLeaf {
  if (keptRootFromSealed === kept.rootHash && firstLogVsSealed && firstLogVsSealed.index < kept.treeSize) return { ...firstLogVsSealed, exact: true };
  if (keptRootFromSealed === kept.rootHash && logSize < kept.treeSize) return { index: logSize, exact: true, sealed: null, log: null };
  const below = Math.max(0, ...validHeadSizes.filter((s) => s <= kept.treeSize));
  return { index: below, exact: false, before: Math.min(kept.treeSize, logSize + 1), sealed: null, log: null };
}
