import { GENESIS_HASH } from '../application/hash-chain';

export interface StreamHead {
  version: number;
  hash: string;
  /** recorded-at of the stream's last event (null for no event): the stream's clock never goes back past it. */
  recordedAt?: string | null;
}

export const NO_HEAD: StreamHead = { version: 0, hash: GENESIS_HASH, recordedAt: null };

/**
 * The last head (version, hash) this process wrote or read per stream, so that an append with
 * an expected version need not read the head again (the command handler has just read the
 * stream). Only a hint: the append's statement moves the head only if it is exactly this, so a
 * stale entry costs one fallback, never a wrong write. The least recently written go first.
 */
export class HeadCache {
  private readonly heads = new Map<string, StreamHead>();
  constructor(private readonly capacity: number) {}
  get(streamId: string): StreamHead | undefined {
    return this.heads.get(streamId);
  }
  remember(streamId: string, version: number, hash: string, recordedAt: string | null = null): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, { version, hash, recordedAt });
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value!);
  }
  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}
