// One PGlite instance behind a small interface, shared by the worker thread
// (pglite-thread.worker.mjs) and the main-thread mode (pglite-database.ts). Plain JavaScript
// for the same reason as the worker: a worker thread gets no TypeScript loader under every runner.
//
// `memoryFirst` (issue 15): a bulk load into an empty data dir runs in memory and is written to
// the data dir once, by persist() or close(). On disk every page and WAL write is a synchronous
// file call through Emscripten's NODEFS; in memory the same load costs about a third less CPU.
// Until then nothing is on disk: a process killed mid-load leaves the data dir empty, and the
// load (idempotent) starts again.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';

// node-postgres returns int8 as a string; make PGlite agree so adapters see one shape.
const parsers = { [types.INT8]: (v) => v, [types.DATE]: (v) => v };

/** True when `dataDir` holds no database yet (PostgreSQL writes PG_VERSION first thing). */
const holdsNoDatabase = (dataDir) => !existsSync(join(dataDir, 'PG_VERSION'));

export async function openEngine({ dataDir, loadDataDir, memoryFirst = false }) {
  const inMemoryFirst = Boolean(memoryFirst && dataDir && !loadDataDir && holdsNoDatabase(dataDir));
  let pglite = await PGlite.create({
    ...(dataDir && !inMemoryFirst ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers,
  });
  let inMemory = inMemoryFirst;
  /** Set while the instance is being swapped for the on-disk one: calls wait for it. */
  let swapping = null;
  const subscriptions = new Set();
  const current = async () => {
    if (swapping) await swapping;
    return pglite;
  };

  async function writeToDisk() {
    const dump = await pglite.dumpDataDir('none');
    await pglite.close();
    pglite = await PGlite.create({ dataDir, loadDataDir: dump, parsers });
    inMemory = false;
    for (const s of subscriptions) s.off = await pglite.listen(s.channel, s.onNotify);
  }

  return {
    get inMemory() {
      return inMemory;
    },
    async query(text, params) {
      return (await current()).query(text, params);
    },
    async listen(channel, onNotify) {
      const subscription = { channel, onNotify, off: await (await current()).listen(channel, onNotify) };
      subscriptions.add(subscription);
      return async () => {
        subscriptions.delete(subscription);
        await current();
        await subscription.off();
      };
    },
    async dumpDataDir(compression) {
      return (await current()).dumpDataDir(compression);
    },
    /** Writes an in-memory database to its data dir and carries on there (no-op on disk). */
    async persist() {
      if (swapping) return swapping;
      if (!inMemory) return;
      swapping = writeToDisk().finally(() => (swapping = null));
      return swapping;
    },
    async close() {
      await this.persist();
      await pglite.close();
    },
  };
}
