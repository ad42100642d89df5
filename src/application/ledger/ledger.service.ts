import type { Logger } from 'pino';
import type { Actor } from '../actor';
import { authorize } from '../permissions/permissions';
import { countyDate, type Clock } from '../clock';
import { BadRequestError, NotFoundError } from '../errors';
import type { EventStore } from '../event-store';
import { decisionEventId } from '../../projections/assistance/assistance.queries';
import { ledgerStore } from '../../storage/ledger-store';
import { auditLedger, type LedgerAuditReport } from './ledger-audit';
import type { LedgerSealer } from './ledger-sealer';
import { ledgerPermissions } from '../permissions/ledger.permissions';
import { consistencyProof, inclusionProof, leafHash, nodesNeeded, rangeHash, type NodeLookup } from './merkle';
import type { LedgerKey } from './signing-key';
import type { TreeHead } from './tree-head';
import type { Db } from '../db';

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  event: { eventId: string; streamId: string; version: number; eventHash: string };
  /** RFC 9162 leaf hash: SHA-256(0x00 || event hash bytes), hex. */
  leafHash: string;
  auditPath: string[];
  rootHash: string;
  /** The signed head of that size, when one was signed (the proof is then against it). */
  head: TreeHead | null;
}

export interface ConsistencyProof {
  first: number;
  second: number;
  firstRootHash: string;
  secondRootHash: string;
  proof: string[];
  firstHead: TreeHead | null;
  secondHead: TreeHead | null;
}

/**
 * The auditors' side of the ledger: heads, proofs, verification against a kept head, and the
 * timer that signs a head when T seconds pass without N new events.
 */
export class LedgerService {
  private timer: NodeJS.Timeout | null = null;
  private sealing: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly store: EventStore,
    private readonly key: LedgerKey,
    private readonly sealer: LedgerSealer,
    private readonly clock: Clock,
    private readonly everySeconds: number,
    private readonly logger?: Logger,
  ) {}

  /** Published to anyone: auditors pin it to check heads offline. */
  publicKey(): { algorithm: 'Ed25519'; keyId: string; publicKeyPem: string } {
    return { algorithm: 'Ed25519', keyId: this.key.keyId, publicKeyPem: this.key.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => {
        if (this.sealing) return;
        this.sealing = this.sealer
          .sealHead(this.db)
          .catch((error: unknown) => this.logger?.warn({ err: error }, 'signing a tree head failed; retrying at the next tick'))
          .finally(() => (this.sealing = null));
      },
      Math.max(1, this.everySeconds) * 1000,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sealing;
  }

  /** Signs a head over every sealed leaf now (operations, tests); null when nothing new was sealed. */
  sealHeadNow(): Promise<TreeHead | null> {
    return this.sealer.sealHead(this.db, true);
  }

  async latestHead(actor: Actor): Promise<TreeHead> {
    await authorize(actor, ledgerPermissions.read, undefined, 'read the ledger');
    const head = await ledgerStore.latestHead(this.db);
    if (!head) throw new NotFoundError('signed tree head', 'latest');
    return head;
  }

  async heads(actor: Actor, q: { from?: string; to?: string; after?: number; limit: number }): Promise<{ items: TreeHead[]; nextCursor: string | null }> {
    await authorize(actor, ledgerPermissions.read, undefined, 'read the ledger');
    const items = await ledgerStore.headsBetween(this.db, { ...q, limit: q.limit + 1 });
    const more = items.length > q.limit;
    const page = items.slice(0, q.limit);
    return { items: page, nextCursor: more ? String(page[page.length - 1]!.treeSize) : null };
  }

  /** Every head signed on a county day (Asia/Shanghai), oldest first: the file handed to auditors. */
  async *dailyHeads(actor: Actor, day: string): AsyncGenerator<TreeHead> {
    await authorize(actor, ledgerPermissions.read, undefined, 'read the ledger');
    const from = new Date(`${day}T00:00:00+08:00`);
    if (Number.isNaN(from.getTime()) || countyDate(from) !== day) throw new BadRequestError(`日期 ${day} 无效`, 'date');
    const to = new Date(from.getTime() + 86_400_000);
    let after: number | undefined;
    for (;;) {
      const page = await ledgerStore.headsBetween(this.db, {
        from: from.toISOString(),
        to: to.toISOString(),
        ...(after !== undefined ? { after } : {}),
        limit: 1000,
      });
      yield* page;
      if (page.length < 1000) return;
      after = page[page.length - 1]!.treeSize;
    }
  }

  /** Inclusion of an event (or the event that recorded a decision) in the tree of `treeSize` leaves (default: the latest head). */
  async inclusion(actor: Actor, q: { eventId?: string; decisionId?: string; treeSize?: number }): Promise<InclusionProof> {
    await authorize(actor, ledgerPermissions.read, undefined, 'read the ledger');
    let eventId = q.eventId;
    if (!eventId && q.decisionId) {
      const recorded = await decisionEventId(this.db, q.decisionId);
      if (!recorded) throw new NotFoundError('decision', q.decisionId);
      eventId = recorded;
    }
    if (!eventId) throw new BadRequestError('请给出 event 或 decision 之一', 'event');
    const leaf = await ledgerStore.leafOfEvent(this.db, eventId);
    if (!leaf) throw new NotFoundError('sealed event', eventId);
    const { size, head } = await this.treeOf(q.treeSize);
    if (leaf.leafIndex >= size) throw new BadRequestError(`该事件是第 ${leaf.leafIndex} 个叶子，不在大小为 ${size} 的树中`, 'treeSize');
    const node = await this.lookupFor((n) => {
      inclusionProof(leaf.leafIndex, size, n);
      rangeHash(0, size, n);
    });
    return {
      leafIndex: leaf.leafIndex,
      treeSize: size,
      event: { eventId: leaf.eventId, streamId: leaf.streamId, version: leaf.version, eventHash: leaf.eventHash },
      leafHash: leafHash(leaf.eventHash).toString('hex'),
      auditPath: inclusionProof(leaf.leafIndex, size, node).map((h) => h.toString('hex')),
      rootHash: rangeHash(0, size, node).toString('hex'),
      head,
    };
  }

  async consistency(actor: Actor, first: number, second?: number): Promise<ConsistencyProof> {
    await authorize(actor, ledgerPermissions.read, undefined, 'read the ledger');
    const { size, head } = await this.treeOf(second);
    if (first > size) throw new BadRequestError(`first（${first}）不能大于 second（${size}）`, 'first');
    const node = await this.lookupFor((n) => {
      consistencyProof(first, size, n);
      rangeHash(0, first, n);
      rangeHash(0, size, n);
    });
    return {
      first,
      second: size,
      firstRootHash: rangeHash(0, first, node).toString('hex'),
      secondRootHash: rangeHash(0, size, node).toString('hex'),
      proof: consistencyProof(first, size, node).map((h) => h.toString('hex')),
      firstHead: await ledgerStore.headAtSize(this.db, first),
      secondHead: head,
    };
  }

  /** Does the log still extend the head the auditor kept? Names the first leaf that differs. */
  async verify(actor: Actor, kept: TreeHead): Promise<LedgerAuditReport> {
    await authorize(actor, ledgerPermissions.read, undefined, 'verify the ledger');
    return auditLedger({ db: this.db, store: this.store, publicKey: this.key.publicKey, keptHead: kept });
  }

  /** A tree size to prove against: a given size (at most what is sealed), else the latest head's. */
  private async treeOf(treeSize?: number): Promise<{ size: number; head: TreeHead | null }> {
    if (treeSize === undefined) {
      const head = await ledgerStore.latestHead(this.db);
      if (!head) throw new NotFoundError('signed tree head', 'latest');
      return { size: head.treeSize, head };
    }
    const sealed = await ledgerStore.sealedSize(this.db);
    if (treeSize > sealed) throw new BadRequestError(`账本只封存了 ${sealed} 个叶子，小于 ${treeSize}`, 'treeSize');
    return { size: treeSize, head: await ledgerStore.headAtSize(this.db, treeSize) };
  }

  /** Fetches exactly the stored subtrees a computation reads, in one query. */
  private async lookupFor(run: (node: NodeLookup) => unknown): Promise<NodeLookup> {
    const wanted = nodesNeeded(run);
    const stored = await ledgerStore.nodes(this.db, wanted);
    return (level, index) => {
      const hash = stored.get(`${level}:${index}`);
      if (!hash) throw new Error(`ledger node ${level}/${index} is missing`);
      return hash;
    };
  }
}
