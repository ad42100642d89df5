import type { Clock } from '../clock';
import type { RecordedEvent } from '../event-store';
import { ledgerStore, type LedgerLeaf, type LedgerNode } from '../../storage/ledger-store';
import { MerkleBuilder, leafHash, type Hash } from './merkle';
import type { LedgerKey } from './signing-key';
import { signTreeHead, type TreeHead } from './tree-head';
import type { Db } from '../db';

/** When a signed tree head is due: after this many new leaves, or this long after the last head. */
export interface HeadPolicy {
  everyEvents: number;
  everySeconds: number;
}

export const DEFAULT_HEAD_POLICY: HeadPolicy = { everyEvents: 1000, everySeconds: 60 };

/**
 * Appends committed events to the ledger's tree and signs tree heads. Both run under one
 * advisory lock, so a head is always the root of exactly the leaves stored when it was signed.
 */
export class LedgerSealer {
  /** Before the first head, time counts from when this sealer started. */
  private readonly startedAt: number;

  constructor(
    private readonly key: LedgerKey,
    private readonly clock: Clock,
    private readonly policy: HeadPolicy = DEFAULT_HEAD_POLICY,
  ) {
    this.startedAt = clock.now().getTime();
  }

  /** Seals events (already in gap-safe global order) as the next leaves; signs a head when one is due. */
  async seal(trx: Db, events: readonly RecordedEvent[]): Promise<TreeHead | null> {
    await ledgerStore.lock(trx);
    const builder = await this.resume(trx);
    const leaves: LedgerLeaf[] = [];
    const nodes: LedgerNode[] = [];
    for (const e of events) {
      leaves.push({ leafIndex: builder.size, eventId: e.eventId, streamId: e.streamId, version: e.version, eventHash: e.hash });
      builder.push(leafHash(e.hash), (level, index, hash) => nodes.push({ level, index, hash }));
    }
    await ledgerStore.append(trx, leaves, nodes);
    return this.headIfDue(trx, builder.size, () => builder.root(), false);
  }

  /** Signs a head over everything sealed so far if one is due (or always, with `force`, when the tree grew). */
  async sealHead(db: Db, force = false): Promise<TreeHead | null> {
    return db.transaction().execute(async (trx) => {
      await ledgerStore.lock(trx);
      const builder = await this.resume(trx);
      return this.headIfDue(trx, builder.size, () => builder.root(), force);
    });
  }

  /** The tree as stored: its size and right edge (one complete subtree per set bit of the size). */
  private async resume(trx: Db): Promise<MerkleBuilder> {
    const size = await ledgerStore.sealedSize(trx);
    const edge = MerkleBuilder.edgeOf(size);
    const stored = await ledgerStore.nodes(trx, edge);
    const frontier: Array<Hash | undefined> = [];
    for (const { level, index } of edge) {
      const hash = stored.get(`${level}:${index}`);
      if (!hash) throw new Error(`ledger node ${level}/${index} is missing: the ledger tables were changed outside the sealer`);
      frontier[level] = hash;
    }
    return new MerkleBuilder(size, frontier);
  }

  private async headIfDue(trx: Db, size: number, root: () => Hash, force: boolean): Promise<TreeHead | null> {
    const last = await ledgerStore.latestHead(trx);
    const lastSize = last?.treeSize ?? 0;
    if (size <= lastSize) return null;
    const now = this.clock.now();
    const since = last ? Date.parse(last.timestamp) : this.startedAt;
    const due = force || size - lastSize >= this.policy.everyEvents || now.getTime() - since >= this.policy.everySeconds * 1000;
    if (!due) return null;
    const head = signTreeHead({ treeSize: size, rootHash: root().toString('hex'), timestamp: now.toISOString() }, this.key.privateKey);
    return (await ledgerStore.insertHead(trx, head)) ? head : null;
  }
}
