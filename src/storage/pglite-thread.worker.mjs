// PGlite in a worker thread (issue 20): its queries run synchronously in WASM, so on the HTTP
// thread a long one blocked /health for seconds. Here they block only this thread; the main
// thread (pglite-thread.ts) sends each query as a message and awaits the reply.
// Plain JavaScript on purpose: a worker thread gets no TypeScript loader under every runner
// (vitest's workers have none), and this file only relays messages. A task (op `task`, e.g. the
// demo county's load) is TypeScript run here, beside PGlite, loaded on demand (see runTask).
import { Blob } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { preparedStatements } from './pglite-statements.mjs';

/** What the main thread needs to rebuild the error: PostgreSQL's fields (code, constraint, …). */
function serializeError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'object') continue;
    fields[key] = value;
  }
  return { ...fields, name: error.name, message: error.message };
}

const reply = (id, value, transfer = []) => parentPort.postMessage({ kind: 'reply', id, value }, transfer);
const fail = (id, error) => parentPort.postMessage({ kind: 'reply', id, error: serializeError(error) });

/**
 * PGlite has one connection. The main thread's dialect hands it to one of its users at a time; a
 * task running here is another user, so the connection is handed over here too: the main thread
 * holds it from its first statement until it says `release` (the end of its transaction or
 * query), a task's dialect holds it for each of its own. First come, first served.
 */
class SessionLock {
  tail = Promise.resolve();
  lock() {
    let release;
    const next = new Promise((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    return previous.then(() => release);
  }
}
const session = new SessionLock();
/** The main thread's hold on the connection (a promise of its release), while it has one. */
let mainHold = null;
const holdForMain = () => (mainHold ??= session.lock());
function releaseMain() {
  const hold = mainHold;
  mainHold = null;
  void hold?.then((release) => release());
}

let pglite;
let statements;
try {
  pglite = await PGlite.create({
    ...(workerData.dataDir ? { dataDir: workerData.dataDir } : {}),
    ...(workerData.loadDataDir ? { loadDataDir: new Blob([workerData.loadDataDir]) } : {}),
    // node-postgres returns int8 as a string; make PGlite agree so adapters see one shape.
    parsers: { [types.INT8]: (v) => v, [types.DATE]: (v) => v },
  });
  statements = preparedStatements(pglite);
  parentPort.postMessage({ kind: 'ready' });
} catch (error) {
  parentPort.postMessage({ kind: 'failed', error: serializeError(error) });
}

/**
 * Runs a task module's `runInDatabaseThread(local, data, port)` here, with this thread's PGlite:
 * its statements are calls, not messages. A `.ts` module (the sources, not dist/) needs a
 * TypeScript loader, registered on the first task only (a worker thread does not inherit
 * `--import tsx`, and vitest's have none).
 */
let typeScriptLoader = false;
async function importTask(moduleHref) {
  if (moduleHref.endsWith('.ts') && !typeScriptLoader) {
    (await import('tsx/esm/api')).register();
    typeScriptLoader = true;
  }
  return import(moduleHref);
}

async function runTask(moduleHref, data, port) {
  const task = await importTask(moduleHref);
  const local = {
    query: (text, params) => statements.query(text, params),
    lock: () => session.lock(),
    listen: (channel, onNotify) => pglite.listen(channel, onNotify),
  };
  return task.runInDatabaseThread(local, data, port);
}

const unlisteners = new Map();
parentPort.on('message', async (message) => {
  const { id, op } = message;
  if (op === 'release') return releaseMain();
  try {
    if (op === 'query') {
      await holdForMain();
      const result = await statements.query(message.text, message.params);
      reply(id, { rows: result.rows, affectedRows: result.affectedRows });
    } else if (op === 'listen') {
      unlisteners.set(id, await pglite.listen(message.channel, () => parentPort.postMessage({ kind: 'notify', listener: id })));
      reply(id, null);
    } else if (op === 'unlisten') {
      await unlisteners.get(message.listener)?.();
      unlisteners.delete(message.listener);
      reply(id, null);
    } else if (op === 'dump') {
      await holdForMain();
      const bytes = await (await pglite.dumpDataDir('gzip')).arrayBuffer();
      reply(id, bytes, [bytes]);
    } else if (op === 'import') {
      await importTask(message.module);
      reply(id, null);
    } else if (op === 'task') {
      try {
        reply(id, await runTask(message.module, message.data, message.port));
      } finally {
        message.port.close();
      }
    } else if (op === 'close') {
      await pglite.close();
      reply(id, null);
    } else {
      throw new Error(`unknown operation ${String(op)}`);
    }
  } catch (error) {
    fail(id, error);
  }
});
