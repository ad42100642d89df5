import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../../src/application/db';

/**
 * The CPU the PostgreSQL server spent on one database's sessions (when the server runs on this
 * machine): the backends of the database are found every `everyMs` in pg_stat_activity and
 * their utime + stime read from /proc, so a session the pool closed is counted up to its last
 * sample. Null where /proc or the server's processes are out of reach (PGlite, a remote server).
 */
export function sampleServerCpu(db: Db, everyMs = 2000): { stop(): Promise<number | null> } {
  const ticksByPid = new Map<number, number>();
  let readable = true;
  const sample = async () => {
    const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
    for (const { pid } of rows.rows) {
      try {
        // Fields 14 and 15 (utime, stime) after the command name in parentheses.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticksByPid.set(pid, Number(fields[11]) + Number(fields[12]));
      } catch {
        readable = false;
      }
    }
  };
  let pending = sample();
  const timer = setInterval(() => {
    pending = pending.then(sample, sample);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending.catch(() => undefined);
      await sample().catch(() => undefined);
      if (!readable || ticksByPid.size === 0) return null;
      // Linux counts in USER_HZ, 100 a second on every common build.
      return [...ticksByPid.values()].reduce((a, b) => a + b, 0) / 100;
    },
  };
}
