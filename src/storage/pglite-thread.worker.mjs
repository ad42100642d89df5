// PGlite in a worker thread (issue 20): its queries run synchronously in WASM, so on the HTTP
// thread a long one blocked /health for seconds. Here they block only this thread; the main
// thread (pglite-thread.ts) sends each query as a message and awaits the reply.
// Plain JavaScript on purpose: a worker thread gets no TypeScript loader under every runner
// (vitest's workers have none), and this file only relays messages.
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

const unlisteners = new Map();
parentPort.on('message', async (message) => {
  const { id, op } = message;
  try {
    if (op === 'query') {
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
      const bytes = await (await pglite.dumpDataDir('gzip')).arrayBuffer();
      reply(id, bytes, [bytes]);
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
