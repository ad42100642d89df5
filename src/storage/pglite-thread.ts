import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { PGliteEngine } from './pglite-dialect';
import type { DatabaseThread } from './sql-database';

/** What openPGlite needs of an engine beyond queries: notifications, a dump, and closing. */
export interface PGliteHandle extends PGliteEngine {
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  dumpDataDir(): Promise<Blob>;
  close(): Promise<void>;
  /** Worker thread only: tasks run beside PGlite (see DatabaseThread in sql-database.ts). */
  thread?: DatabaseThread;
}

type Reply = { kind: 'reply'; id: number; value?: unknown; error?: Record<string, unknown> & { message: string } };
type Message = Reply | { kind: 'notify'; listener: number } | { kind: 'ready' } | { kind: 'failed'; error: { message: string } };

/** The PostgreSQL error as the worker saw it: code, constraint and the rest, so callers can tell one from another. */
function rebuildError(fields: Record<string, unknown> & { message: string }): Error {
  return Object.assign(new Error(fields.message), fields);
}

/**
 * PGlite run in a worker thread (issue 20). Its queries are synchronous WASM: on the HTTP thread a
 * long query (a verify page, a rebuild's insert) held /health for as long as it ran. In a worker
 * the main thread only posts the query and parses the reply. Queries still run one at a time
 * (PGlite has one connection); the dialect's mutex keeps transactions whole as before.
 */
export async function startPGliteThread(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGliteHandle> {
  const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
  const worker = new Worker(new URL('./pglite-thread.worker.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir, loadDataDir },
    ...(loadDataDir ? { transferList: [loadDataDir] } : {}),
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<number, () => void>();
  let nextId = 0;
  let exited: Error | null = null;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: Message) => {
      if (message.kind === 'ready') resolve();
      else if (message.kind === 'failed') reject(rebuildError(message.error));
      else if (message.kind === 'notify') listeners.get(message.listener)?.();
      else {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) call?.reject(rebuildError(message.error));
        else call?.resolve(message.value);
      }
    });
    worker.on('error', (error) => {
      exited = error;
      reject(error);
    });
    worker.on('exit', (code) => {
      exited ??= new Error(`the PGlite worker thread exited (code ${code})`);
      reject(exited);
      for (const call of pending.values()) call.reject(exited);
      pending.clear();
    });
  });

  const call = <T>(op: string, args: Record<string, unknown> = {}, transfer: MessagePort[] = []): Promise<T> => {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, ...args }, transfer);
    });
  };
  // Whether this thread holds the worker's connection (it took it with a statement since its last release).
  let holding = false;

  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return {
    query: <R>(text: string, params: unknown[]) => {
      holding = true;
      return call<{ rows: R[]; affectedRows?: number }>('query', { text, params });
    },
    endSession() {
      // One message, no reply: the worker reads it before this thread's next statement.
      if (!holding || exited) return;
      holding = false;
      worker.postMessage({ op: 'release' });
    },
    async listen(channel, onNotify) {
      // The id `call` is about to take: the worker names this listener by it in its notifications.
      const id = nextId;
      listeners.set(id, onNotify);
      await call('listen', { channel });
      return async () => {
        listeners.delete(id);
        if (!exited) await call('unlisten', { listener: id });
      };
    },
    async dumpDataDir() {
      holding = true;
      return new Blob([await call<ArrayBuffer>('dump')]);
    },
    thread: {
      run<T>(module: URL, data: unknown) {
        const { port1, port2 } = new MessageChannel();
        return { result: call<T>('task', { module: module.href, data, port: port2 }, [port2]), port: port1 };
      },
      preload(module: URL) {
        call('import', { module: module.href }).catch(() => undefined);
      },
    },
    async close() {
      try {
        if (!exited) await call('close');
      } finally {
        await worker.terminate();
      }
    },
  };
}
