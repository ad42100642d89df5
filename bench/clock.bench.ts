/**
 * County-day formatting: a formatter built for every call (what `countyDate` did before issue 20)
 * against the cached one per zone, in the same process, interleaved in rounds so that load from
 * elsewhere on the machine falls on both alike.
 *
 *   npm run bench:clock
 *   npm run bench:clock -- --calls 20000 --rounds 5
 *
 * Prints figures and the ratio; asserts nothing about time. Exits non-zero only if the two ways
 * disagree on a day.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { countyDate } from '../src/application/clock';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '5' } } });
const calls = Number(values.calls);
const rounds = Number(values.rounds);
const zone = 'Asia/Shanghai';

const uncached = (instant: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);

// A spread of instants over two years, so no engine shortcut sees the same value twice in a row.
const instants = Array.from({ length: 1024 }, (_, i) => new Date(Date.UTC(2023, 0, 1) + i * 61_234_567));
for (const instant of instants) {
  if (uncached(instant) !== countyDate(instant, zone)) {
    console.error(`the cached formatter disagrees on ${instant.toISOString()}`);
    process.exit(1);
  }
}

/** Microseconds per call of `day` over `n` calls; the days are kept so the calls are not dropped. */
function perCall(day: (instant: Date) => string, n: number): number {
  let sink = 0;
  const t = performance.now();
  for (let i = 0; i < n; i++) sink += day(instants[i & 1023]!).length;
  const us = ((performance.now() - t) * 1000) / n;
  if (sink !== n * 10) throw new Error('a day was not yyyy-mm-dd');
  return us;
}

// The uncached way is ~200× slower: fewer of its calls give as long a measurement.
const uncachedCalls = Math.max(100, Math.floor(calls / 20));
perCall(uncached, 200);
perCall((d) => countyDate(d, zone), 2000);

const before: number[] = [];
const after: number[] = [];
for (let r = 0; r < rounds; r++) {
  before.push(perCall(uncached, uncachedCalls));
  after.push(perCall((d) => countyDate(d, zone), calls));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const b = median(before);
const a = median(after);
console.log(`countyDate (${zone}), ${rounds} rounds, median per call:`);
console.log(`  formatter built per call: ${b.toFixed(2)} µs (${uncachedCalls} calls a round)`);
console.log(`  cached formatter:         ${a.toFixed(3)} µs (${calls} calls a round)`);
console.log(`  ratio: ${(b / a).toFixed(0)}× faster cached`);
