import { Worker } from 'node:worker_threads';
import type { EventMac } from './event-mac';

/** HMACs over `prefix + item` compared with the `expected` hex tags: the indexes that differ come back. */
export interface TagCheck {
  prefix: string;
  items: string[];
  expected: string[];
}

/** HMACs over `prefix + item`, counted and XOR-ed per group (`groups[i]` < `groupCount`): an accumulator per group. */
export interface TagXor {
  prefix: string;
  items: string[];
  groups: Uint8Array;
  groupCount: number;
}

export interface MacThreadResult {
  mismatches: number[];
  /** Per group, with `xor`: how many items and the XOR of their tags (32 bytes a group). */
  counts: number[] | null;
  acc: Uint8Array | null;
}

type Reply = { id: number; failed?: undefined } & MacThreadResult;
type Failure = { id: number; failed: string };

/**
 * A thread that computes the whole-log verify's MACs (issue 20): an event's MAC and its
 * accumulator contribution are two HMACs, a fifth of the verify's CPU on this thread. Sent a page
 * at a time, they are computed on another core while this thread hashes the page's content, and
 * the verify reads the answer once it needs it. The labels and subjects stay with EventMac
 * (MAC_LABELS): the thread only computes what it is sent, under the same key.
 */
export class MacThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: MacThreadResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(mac: EventMac) {
    // The key is shared with a thread of this process only (as with the verify's worker threads).
    this.worker = new Worker(new URL('./mac-thread.worker.mjs', import.meta.url), {
      workerData: { key: new Uint8Array(mac.keyForWorkerThreads()) },
    });
    this.worker.on('message', (reply: Reply | Failure) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.failed !== undefined) waiter?.reject(new Error(`the MAC thread failed: ${reply.failed}`));
      else waiter?.resolve({ mismatches: reply.mismatches, counts: reply.counts, acc: reply.acc });
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.waiting.values()) waiter.reject(this.failure);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the MAC thread exited (code ${code})`)));
  }

  /** Sends the work at once; the answer when it is done. */
  run(job: { tags?: TagCheck; xor?: TagXor }): Promise<MacThreadResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const answer = new Promise<MacThreadResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    answer.catch(() => undefined);
    // Strings as UTF-8 bytes in one transferred buffer each: cloning thousands of strings cost
    // this thread more than the HMACs it hands off (issue 20's profile of a county verify).
    const packed = new Map<readonly (string | null)[], Packed>();
    const packOnce = (items: readonly (string | null)[]) => {
      let found = packed.get(items);
      if (!found) packed.set(items, (found = pack(items)));
      return found;
    };
    const message = {
      id,
      ...(job.tags ? { tags: { prefix: job.tags.prefix, items: packOnce(job.tags.items), expected: packOnce(job.tags.expected) } } : {}),
      ...(job.xor ? { xor: { prefix: job.xor.prefix, items: packOnce(job.xor.items), groups: job.xor.groups, groupCount: job.xor.groupCount } } : {}),
    };
    this.worker.postMessage(
      message,
      [...packed.values()].map((p) => p.buffer),
    );
    return answer;
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.failure ??= new Error('the MAC thread was closed');
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
    await this.worker.terminate();
  }
}

/** Strings as the UTF-8 bytes of each, one after the other (length -1: null), for the MAC thread. */
interface Packed {
  /** The memory of `bytes`, transferred to the thread. */
  buffer: ArrayBuffer;
  bytes: Uint8Array;
  starts: Int32Array;
  lengths: Int32Array;
}

function pack(items: readonly (string | null)[]): Packed {
  let capacity = 0;
  for (const item of items) if (item !== null && item !== undefined) capacity += item.length * 3;
  // Memory of its own (not from Buffer's pool): it is transferred to the thread.
  const buffer = new ArrayBuffer(capacity);
  const bytes = Buffer.from(buffer);
  const starts = new Int32Array(items.length);
  const lengths = new Int32Array(items.length);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    starts[i] = at;
    if (item === null || item === undefined) {
      lengths[i] = -1;
      continue;
    }
    const n = bytes.write(item, at);
    lengths[i] = n;
    at += n;
  }
  return { buffer, bytes, starts, lengths };
}
