/**
 * Import benchmark (issue 20): a department's file of `--rows` rows (default 20,000: a quarter
 * of 医保 settlements) sent through `POST /api/v1/data-imports` — the route, its streaming CSV
 * parser, staging, chunks, matching, rules, findings and tasks — on the database the
 * environment names (PostgreSQL from DATABASE_URL, else PGlite under DATA_DIR).
 *
 *   DATABASE_URL=postgres://…/db npm run bench:imports
 *   DATA_DIR=/tmp/demo npm run bench:imports -- --rows 20000 --scale tiny
 *
 * The file: people of the register (each settles several times a year, so rows repeat people),
 * one row in twenty someone not on it (placed by address code), one in five hundred a mistyped
 * date (rejected), one in five over the out-of-pocket threshold (findings). Fresh settlement ids
 * every run, so every run imports new content. In the same process the baseline: the same bytes
 * parsed and staged (what any import pays before its first rule), so the import is also a ratio.
 * Then the same file again (200, nothing added) and the same rows less the last (all unchanged).
 * A script, not a test: it asserts nothing about time, only that the answers are what they say.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { csvRecords } from '../src/application/detection/csv-records';
import { ImportStaging } from '../src/application/detection/import-staging';
import { compose } from '../src/composition-root';
import { findDemoUsers } from '../src/demo/demo-users';
import { DEMO_DATE } from '../src/demo/demo-time';
import { NationalIdAllocator } from '../src/demo/national-ids';
import { runDemoSeed } from '../src/demo/seed';
import { openDatabaseForCli } from '../src/cli/open-database';
import { demoBenchConfig } from './demo-bench-config';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    scale: { type: 'string', default: 'tiny' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(`usage: npm run bench:imports -- [--rows N] [--scale tiny|sample|county]
  DATABASE_URL   PostgreSQL (else PGlite under DATA_DIR)
  --rows         rows in the file (default 20000)
  --scale        the demo county to load first when the database holds no households (default tiny)`);
  process.exit(0);
}
const rowCount = Number(args.rows);
const scale = args.scale as 'tiny' | 'sample' | 'county';

const config = demoBenchConfig();
const onPostgres = !!config.DATABASE_URL;
const database = onPostgres ? null : await openDatabaseForCli(config, 'npm run bench:imports');
const service = await compose(config, database ? { database } : {});
await service.start();
const db = service.deps.database.db;

if (Number((await sql<{ n: string }>`select count(*) as n from rm_households`.execute(db)).rows[0]!.n) === 0) {
  process.stderr.write(`empty database: loading the demo county at --scale ${scale}…\n`);
  await runDemoSeed(service, { scale });
  await sql`analyze`.execute(db);
}
const admin = (await findDemoUsers(db, DEMO_DATE)).find((u) => u.role === 'admin')!;
const token = service.app.jwt.sign({ sub: admin.sub, role: 'admin' });

// ── the file ──────────────────────────────────────────────────────────────
const members = (
  await sql<{ id_number: string; name: string }>`select id_number, name from rm_household_members where id_number is not null order by person_id`.execute(db)
).rows;
const groupCodes = (await sql<{ code: string }>`select code from rm_groups where status = 'active' order by code`.execute(db)).rows.map((r) => r.code);
let seed = 20_231_220;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const outsiders = new NationalIdAllocator('530626', 1 + 2 * int(0, 200), 999);
const run = randomUUID().slice(0, 8);
const lines = ['id_number,name,address_code,settlement_id,settled_on,out_of_pocket'];
for (let i = 0; i < rowCount; i++) {
  const month = String(int(1, 11)).padStart(2, '0');
  const settledOn = i % 500 === 499 ? `2023-13-0${int(1, 9)}` : `2023-${month}-${String(int(1, 28)).padStart(2, '0')}`;
  const outOfPocket = rand() < 0.2 ? int(20_500, 62_000) : int(300, 9_000);
  const outsider = i % 20 === 19 || members.length === 0;
  const person = outsider
    ? {
        id: outsiders.next(`19${int(50, 99)}-0${int(1, 9)}-1${int(0, 9)}`, rand() < 0.5 ? 'male' : 'female'),
        name: '外来人员',
        code: groupCodes[i % groupCodes.length] ?? '',
      }
    : { id: members[int(0, members.length - 1)]!.id_number, name: members[i % members.length]!.name, code: '' };
  lines.push(`${person.id},${person.name},${person.code},YB${run}${String(i).padStart(6, '0')},${settledOn},${outOfPocket}`);
}
const file = `${lines.join('\n')}\n`;
const lessLast = `${lines.slice(0, -1).join('\n')}\n`;

// ── the runs ──────────────────────────────────────────────────────────────
const post = (body: string, batch: string) =>
  service.app.inject({
    method: 'POST',
    url: `/api/v1/data-imports?source=medical_insurance&batchId=${batch}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    payload: body,
  });
const timed = async <T>(what: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
  const start = performance.now();
  const value = await what();
  return { value, seconds: (performance.now() - start) / 1000 };
};

const load = [os.loadavg()[0]!.toFixed(1)];
// Baseline: the same bytes through the same parser into the same staging table, then discarded.
const staging = new ImportStaging(db);
const uploadId = randomUUID();
const staged = await timed(() => staging.stage(uploadId, csvRecords(Readable.from([Buffer.from(file)]))));
await staging.discard(uploadId);
load.push(os.loadavg()[0]!.toFixed(1));
const first = await timed(() => post(file, `bench-${run}`));
load.push(os.loadavg()[0]!.toFixed(1));
const again = await timed(() => post(file, `bench-${run}`));
const unchanged = await timed(() => post(lessLast, `bench-${run}-b`));
load.push(os.loadavg()[0]!.toFixed(1));
const body = (r: { value: { statusCode: number; body: string } }) => {
  const parsed = JSON.parse(r.value.body) as Record<string, unknown>;
  return { ...parsed, status: r.value.statusCode };
};
const findingsAfter = Number((await sql<{ n: string }>`select count(*) as n from rm_detection_findings`.execute(db)).rows[0]!.n);
await service.stop();
await database?.close();

const num = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const rate = (rows: number, seconds: number) => rows / seconds;
const result = body(first) as { status: number; applied?: number; unchanged?: number; rejected?: number; findingsRaised?: number; personsFound?: number };
const second = body(again);
const third = body(unchanged) as { status: number; applied?: number; unchanged?: number; rejected?: number };
console.log(
  `\nbench:imports — ${onPostgres ? 'PostgreSQL' : 'PGlite'}, ${num(members.length)} registered people, ${num(rowCount)} rows (${num(file.length / 1024)} KiB CSV); load average ${load.join(' → ')}`,
);
console.log('| run | status | seconds | rows/s | applied | unchanged | rejected | findings raised |');
console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
console.log(`| baseline: parse + stage + discard | — | ${num(staged.seconds, 2)} | ${num(rate(rowCount, staged.seconds))} | | | | |`);
console.log(
  `| import (new file) | ${result.status} | ${num(first.seconds, 2)} | ${num(rate(rowCount, first.seconds))} | ${num(result.applied ?? 0)} | ${num(result.unchanged ?? 0)} | ${num(result.rejected ?? 0)} | ${num(result.findingsRaised ?? 0)} |`,
);
console.log(`| the same file again | ${second.status} | ${num(again.seconds, 2)} | ${num(rate(rowCount, again.seconds))} | | | | |`);
console.log(
  `| the same rows less the last (new batch) | ${third.status} | ${num(unchanged.seconds, 2)} | ${num(rate(rowCount - 1, unchanged.seconds))} | ${num(third.applied ?? 0)} | ${num(third.unchanged ?? 0)} | ${num(third.rejected ?? 0)} | |`,
);
console.log(
  `import / baseline: ${num((100 * staged.seconds) / first.seconds, 1)} % of the staging rate; target ${onPostgres ? '≥ 2,000' : '≥ 500'} rows/s: ${num(rate(rowCount, first.seconds))} rows/s; findings in the database after the run: ${num(findingsAfter)}`,
);
if (result.status !== 201 || second.status !== 200 || third.status !== 201 || third.applied !== 0) {
  console.error('unexpected answers:', JSON.stringify({ first: result, second, third }).slice(0, 2000));
  process.exitCode = 1;
}
