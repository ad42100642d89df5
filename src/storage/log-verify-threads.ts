import { Worker } from 'node:worker_threads';
import type { VerifyThreadData } from './log-verify-thread';

/** A verify worker thread and when it is ready (it has connected to the database). */
export interface VerifyThread {
  worker: Worker;
  ready: Promise<void>;
}

/** Threads kept after a verify, per database and key, for the next one (starting one costs ≈ 1 s of CPU). */
const kept = new Map<string, { threads: VerifyThread[]; timer: NodeJS.Timeout }>();
const KEEP_MS = 60_000;

const keyOf = (data: VerifyThreadData) => `${data.connectionString}\u0000${data.schema}\u0000${data.macKey ? Buffer.from(data.macKey).toString('hex') : ''}`;

function start(data: VerifyThreadData): VerifyThread {
  const worker = new Worker(new URL('./log-verify-thread.worker.mjs', import.meta.url), { workerData: data });
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: { kind: string; message?: string }) => {
      if (message.kind === 'ready') resolve();
      else if (message.kind === 'failed') reject(new Error(message.message));
      else return;
      worker.off('message', onMessage);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a verify worker thread exited (code ${code})`)));
  });
  ready.catch(() => undefined);
  return { worker, ready };
}

/** `count` threads for a verify: those kept from the last one when there are enough, else new ones. */
export function takeThreads(data: VerifyThreadData, count: number): VerifyThread[] {
  const key = keyOf(data);
  const found = kept.get(key);
  if (found && found.threads.length >= count) {
    kept.delete(key);
    clearTimeout(found.timer);
    for (const t of found.threads) {
      t.worker.removeAllListeners('message');
      t.worker.removeAllListeners('exit');
    }
    for (const t of found.threads.slice(count)) void t.worker.terminate();
    const threads = found.threads.slice(0, count);
    for (const t of threads) t.worker.ref();
    return threads;
  }
  return Array.from({ length: count }, () => start(data));
}

/**
 * After a verify: threads that finished every task cleanly are kept a while for the next verify
 * (unreferenced, so they never keep the process alive); any other, or a second set, is ended.
 */
export async function giveBackThreads(data: VerifyThreadData, threads: VerifyThread[], clean: boolean): Promise<void> {
  const key = keyOf(data);
  if (!clean || kept.has(key)) {
    await Promise.all(threads.map((t) => t.worker.terminate()));
    return;
  }
  for (const t of threads) {
    t.worker.removeAllListeners('message');
    t.worker.unref();
    // A thread that dies or loses its connection while kept is dropped with its set.
    const drop = () => {
      const set = kept.get(key);
      if (set?.threads.includes(t)) {
        kept.delete(key);
        clearTimeout(set.timer);
        for (const other of set.threads) void other.worker.terminate();
      }
    };
    t.worker.once('exit', drop);
    t.worker.on('message', (message: { kind: string }) => message.kind === 'failed' && drop());
  }
  const timer = setTimeout(() => {
    kept.delete(key);
    for (const t of threads) void t.worker.terminate();
  }, KEEP_MS);
  timer.unref();
  kept.set(key, { threads, timer });
}
