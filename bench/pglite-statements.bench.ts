/**
 * PGlite's own `query` against the prepared statements of src/storage/pglite-statements.mjs
 * (issue 15), on a file-backed PGlite, in one process: the same small transactions (a head read,
 * an event insert with a JSON document, a read-model upsert and a read back), alternating rounds
 * so the machine's load falls on both alike.
 *
 *   npx tsx bench/pglite-statements.bench.ts [--transactions 1000] [--rounds 2]
 *
 * A script, not a test: it prints figures and the ratio, and exits non-zero only if the two paths
 * leave different rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite, types } from '@electric-sql/pglite';
import { preparedStatements } from '../src/storage/pglite-statements.mjs';

type Query = (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>;

const { values } = parseArgs({ options: { transactions: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '2' } } });
const transactions = Number(values.transactions);
const rounds = Number(values.rounds);
const parsers = { [types.INT8]: (v: string) => v, [types.DATE]: (v: string) => v };

async function run(path_: 'query' | 'prepared'): Promise<{ ms: number; digest: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pglite-statements-bench-'));
  const pglite = await PGlite.create({ dataDir: dir, parsers });
  try {
    await pglite.exec(`create table ev (id bigserial primary key, stream text not null, v int not null, data jsonb not null, unique (stream, v));
      create table rm (stream text primary key, n int not null, last jsonb);`);
    const prepared = preparedStatements(pglite);
    const q: Query = path_ === 'query' ? (t, p) => pglite.query(t, p) : (t, p) => prepared.query(t, p);
    const t0 = performance.now();
    for (let i = 0; i < transactions; i++) {
      const stream = `stream-${i % 500}`;
      await q('begin', []);
      const head = await q('select coalesce(max(v), 0) as v from ev where stream = $1', [stream]);
      const v = Number((head.rows[0] as { v: number }).v) + 1;
      await q('insert into ev (stream, v, data) values ($1, $2, $3) returning id', [stream, v, { i, note: 'x'.repeat(200) }]);
      await q('insert into rm (stream, n, last) values ($1, 1, $2) on conflict (stream) do update set n = rm.n + 1, last = excluded.last', [stream, { i }]);
      await q('select n from rm where stream = $1', [stream]);
      await q('commit', []);
    }
    const ms = performance.now() - t0;
    const digest = JSON.stringify((await pglite.query('select stream, n, last from rm order by stream')).rows);
    return { ms, digest };
  } finally {
    await pglite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${transactions} transactions of 6 statements a round, ${rounds} rounds; load average ${loadavg()[0]!.toFixed(1)}`);
const totals = { query: 0, prepared: 0 };
let digest: string | null = null;
for (let round = 1; round <= rounds; round++) {
  for (const which of round % 2 ? (['query', 'prepared'] as const) : (['prepared', 'query'] as const)) {
    const result = await run(which);
    if (digest !== null && result.digest !== digest) {
      console.error(`the ${which} path left different rows`);
      process.exit(1);
    }
    digest = result.digest;
    totals[which] += result.ms;
    console.log(
      `round ${round} ${which.padEnd(8)} ${result.ms.toFixed(0).padStart(7)} ms  ${((result.ms / transactions) * 1000).toFixed(0).padStart(6)} µs a transaction`,
    );
  }
}
console.log(`prepared / query: ${(totals.prepared / totals.query).toFixed(2)} (load average ${loadavg()[0]!.toFixed(1)})`);
