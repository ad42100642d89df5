import { writeFileSync } from 'node:fs';
import type { PGliteEngine } from './pglite-dialect';

/**
 * An opt-in statement profile for PGlite (issue 15): with PGLITE_STATEMENT_PROFILE=<file> every
 * statement's count and time (as the caller waits for it, worker trip included) are summed per
 * statement text and written, largest total first, to the file when the process exits. It is for
 * measuring the demo load's statements per command; nothing reads it and it is off by default.
 */
export function withStatementProfile<E extends PGliteEngine>(engine: E, file = process.env.PGLITE_STATEMENT_PROFILE): E {
  if (!file) return engine;
  const totals = new Map<string, { count: number; ms: number }>();
  process.once('exit', () => writeFileSync(file, report(totals)));
  return {
    ...engine,
    async query<R>(text: string, params: unknown[]) {
      const t0 = performance.now();
      try {
        return await engine.query<R>(text, params);
      } finally {
        const key = text.replace(/\s+/g, ' ').trim();
        const entry = totals.get(key) ?? { count: 0, ms: 0 };
        entry.count += 1;
        entry.ms += performance.now() - t0;
        totals.set(key, entry);
      }
    },
  };
}

function report(totals: Map<string, { count: number; ms: number }>): string {
  const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const count = rows.reduce((sum, [, e]) => sum + e.count, 0);
  const ms = rows.reduce((sum, [, e]) => sum + e.ms, 0);
  const lines = rows.map(([text, e]) => `${String(e.count).padStart(8)} ${e.ms.toFixed(0).padStart(9)} ms  ${text.slice(0, 220)}`);
  return [`${count} statements, ${ms.toFixed(0)} ms`, ...lines, ''].join('\n');
}
