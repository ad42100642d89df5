import type { Kysely } from 'kysely';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Database } from './database';
import type { EventMac } from './event-mac';
import type { HashedPage, LogPosition } from './log-hasher';
import type { VerifyTask, VerifyThreadData, VerifyThreadMessage } from './log-verify-thread';
import { giveBackThreads, takeThreads } from './log-verify-threads';

/** How a database lets the whole-log verify open connections of its own, one per worker thread. */
export interface ParallelReads {
  connectionString: string;
  schema: string;
}

// Keyed by the Kysely instance the event store verifies through: the store is handed only that.
const registered = new WeakMap<Kysely<Database>, ParallelReads>();

/** Called by openPostgres: this database's log may be verified by worker threads on their own connections. */
export function allowParallelReads(db: Kysely<Database>, reads: ParallelReads): void {
  registered.set(db, reads);
}

export function parallelReadsOf(db: Kysely<Database>): ParallelReads | undefined {
  return registered.get(db);
}

/**
 * Worker threads for a verify: `AUDIT_VERIFY_THREADS` (default 1: the calling thread does the work;
 * on the shared 2-core machine of 2026-12-02 two threads cost more than they saved, see
 * BENCHMARKS.md). Without them, the calling thread has its pages read on `AUDIT_VERIFY_READERS`
 * pooled connections at once (default 2: the database's share of a page, rendering and comparing
 * its rows, runs beside this thread's hashing and beside the next page's), and the MACs computed
 * on a MAC thread (mac-thread.ts; `AUDIT_VERIFY_MAC_THREAD=0`: on this thread), those pages read by
 * binary COPY (log-copy-reads.ts; `AUDIT_VERIFY_COPY=0`: as rows). Logs shorter than
 * `AUDIT_VERIFY_PARALLEL_FROM` events (default 20,000) are read a page after the other on the
 * calling thread: starting threads (≈ 1 s of CPU each) or cutting the log into ranges costs more
 * than it saves.
 */
export function defaultParallelism(): { threads: number; readers: number; macThread: boolean; binaryCopy: boolean; minEvents: number } {
  const threads = Math.min(availableParallelism(), Number(process.env.AUDIT_VERIFY_THREADS ?? 1));
  const readers = Number(process.env.AUDIT_VERIFY_READERS ?? 2);
  const minEvents = Number(process.env.AUDIT_VERIFY_PARALLEL_FROM ?? 20_000);
  return {
    threads: Number.isFinite(threads) ? threads : 1,
    readers: Number.isFinite(readers) && readers >= 1 ? Math.floor(readers) : 2,
    macThread: process.env.AUDIT_VERIFY_MAC_THREAD !== '0',
    binaryCopy: process.env.AUDIT_VERIFY_COPY !== '0',
    minEvents: Number.isFinite(minEvents) ? minEvents : 20_000,
  };
}

/**
 * The log's pages hashed by worker threads and yielded in the log's order. `ranges` cut the log:
 * (start, r1], (r1, r2], …, (rk, end of the log); each range goes to the next free worker, at most
 * `ahead` ranges are out at once (memory stays bounded), and the pages are handed on in order.
 */
export async function* hashedByThreads(options: {
  reads: ParallelReads;
  mac: EventMac | null;
  threads: number;
  pageSize: number;
  withLeaves: boolean;
  ranges: readonly LogPosition[];
}): AsyncGenerator<HashedPage> {
  const start: LogPosition = { transactionId: '0', globalPosition: '0' };
  const tasks: VerifyTask[] = [start, ...options.ranges].map((after, i) => ({
    id: i,
    after,
    until: options.ranges[i] ?? null,
    pageSize: options.pageSize,
    withLeaves: options.withLeaves,
  }));
  const data: VerifyThreadData = {
    connectionString: options.reads.connectionString,
    schema: options.reads.schema,
    macKey: options.mac ? new Uint8Array(options.mac.keyForWorkerThreads()) : null,
  };
  const threads = Math.max(1, Math.min(options.threads, tasks.length));
  const ahead = threads * 2;

  // Per task: the pages received, whether it is done; a waiter for the task being consumed.
  const received = new Map<number, { pages: HashedPage[]; done: boolean }>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, number>();
  let nextTask = 0;
  let consuming = 0;
  const dispatch = () => {
    while (idle.length > 0 && nextTask < tasks.length && nextTask < consuming + ahead) {
      const task = tasks[nextTask++]!;
      received.set(task.id, { pages: [], done: false });
      const worker = idle.shift()!;
      busy.set(worker, task.id);
      worker.postMessage(task);
    }
  };
  // Read through a function: the type checker cannot see the handlers below setting it.
  const failureOf = (): Error | null => failure;
  const fail = (error: Error) => {
    failure ??= error;
    signal();
  };

  const threadSet = takeThreads(data, threads);
  let clean = false;
  try {
    for (const thread of threadSet) {
      const worker = thread.worker;
      workers.push(worker);
      thread.ready.then(
        () => {
          idle.push(worker);
          dispatch();
        },
        (error: Error) => fail(error),
      );
      worker.on('message', (message: VerifyThreadMessage) => {
        if (message.kind === 'failed') {
          fail(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
        } else if (message.kind === 'page') {
          const slot = received.get(message.id)!;
          slot.pages.push(message.page);
          if (message.done) {
            slot.done = true;
            busy.delete(worker);
            idle.push(worker);
            dispatch();
          }
          if (message.id === consuming) signal();
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (busy.has(worker) || nextTask < tasks.length) fail(new Error(`a verify worker thread exited (code ${code})`));
      });
    }

    for (; consuming < tasks.length; consuming++) {
      for (;;) {
        const failed = failureOf();
        if (failed) throw failed;
        const slot = received.get(consuming);
        const page = slot?.pages.shift();
        if (page) {
          yield page;
          continue;
        }
        if (slot?.done) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      received.delete(consuming);
      dispatch();
    }
    clean = busy.size === 0 && failureOf() === null;
  } finally {
    nextTask = tasks.length;
    for (const worker of workers) {
      worker.removeAllListeners('error');
      worker.removeAllListeners('exit');
    }
    busy.clear();
    await giveBackThreads(data, threadSet, clean);
  }
}
