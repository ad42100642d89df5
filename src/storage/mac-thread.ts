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
    this.worker.postMessage({ id, ...job });
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
