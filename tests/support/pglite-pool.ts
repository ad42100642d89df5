import { pgliteDatabaseOver, startPGlite, type PGliteOptions } from '../../src/storage/pglite-database';
import type { PGliteHandle } from '../../src/storage/pglite-thread';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { pristineOf, resetTo, type Pristine, type Query } from './database-reset';

/**
 * Test PGlites lent from file to file (issue 18). Opening one from the migrated template costs
 * about 1.2 s of CPU in its worker thread (the thread, the WASM backend's start, the 44 MB tarball
 * into its memory file system): a third of `npm test`'s CPU on the embedded store. A closed test
 * database is instead put back as the template left it (database-reset.ts) and lent to the next
 * opener of the same worker process (the tiers that share one module graph per worker:
 * vitest.config.ts).
 *
 * Given back, a PGlite whose schema, roles or session settings a test changed, or in whose thread
 * a task ran (it may still be writing), is closed instead.
 */

interface Pooled {
  handle: PGliteHandle;
  pristine: Pristine;
}

const idle: Pooled[] = [];

/** How the pool has done in this worker process: PGlites opened, put back for the next file, and closed instead. */
export const pglitePoolStats = { opened: 0, putBack: 0, closed: 0 };

/** A database lent from the pool, or a new PGlite opened from the template and pooled on close. */
export async function leasePGlite(options: () => PGliteOptions): Promise<SqlDatabase> {
  const pooled = idle.pop() ?? (await openPooled(options()));
  let threadUsed = false;
  const unlisteners = new Set<() => Promise<void>>();
  let given = false;
  // As a closed PGlite does: a statement sent after close (a loop the test left running) fails
  // rather than reaching the next file's database.
  const open = () => {
    if (given) throw new Error('this test database is closed');
  };
  const handle: PGliteHandle = {
    ...pooled.handle,
    query(text, params) {
      open();
      return pooled.handle.query(text, params);
    },
    dumpDataDir() {
      open();
      return pooled.handle.dumpDataDir();
    },
    async listen(channel, onNotify) {
      open();
      const unlisten = await pooled.handle.listen(channel, onNotify);
      unlisteners.add(unlisten);
      return async () => {
        unlisteners.delete(unlisten);
        await unlisten();
      };
    },
    ...(pooled.handle.thread
      ? {
          thread: {
            run(module, data) {
              open();
              threadUsed = true;
              return pooled.handle.thread!.run(module, data);
            },
            preload: (module) => pooled.handle.thread!.preload(module),
          },
        }
      : {}),
  };
  return pgliteDatabaseOver(handle, async () => {
    if (given) return;
    given = true;
    for (const unlisten of unlisteners) await unlisten();
    if (!threadUsed && (await emptied(pooled))) {
      pglitePoolStats.putBack += 1;
      idle.push(pooled);
    } else {
      pglitePoolStats.closed += 1;
      await pooled.handle.close();
    }
  });
}

async function openPooled(options: PGliteOptions): Promise<Pooled> {
  const handle = await startPGlite(options);
  pglitePoolStats.opened += 1;
  try {
    return { handle, pristine: await withSession(handle, (query) => pristineOf(query, SCOPE)) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** PGlite is a cluster of its own: its roles and its one session's settings go with it. */
const SCOPE = { rolesAndSession: true };

function emptied({ handle, pristine }: Pooled): Promise<boolean> {
  return withSession(handle, (query) => resetTo(query, pristine, SCOPE));
}

/** Statements straight to PGlite, then the connection handed back (its worker thread shares it). */
async function withSession<T>(handle: PGliteHandle, work: (query: Query) => Promise<T>): Promise<T> {
  try {
    return await work(async <R>(text: string, params: unknown[] = []) => (await handle.query<R>(text, params)).rows);
  } finally {
    handle.endSession?.();
  }
}
