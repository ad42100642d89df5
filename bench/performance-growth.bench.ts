/**
 * How the visit metrics' per-worker work grows with the county (issue 20): households, groups,
 * workers, visits and reviews grow together, in Suijiang's proportions, 1× → 3× → 9×. Builds the
 * facts in memory (no database) and runs, per worker, what the visits source does with them:
 * monthly visit obligations over the worker's groups, and the dynamic-review walk over the
 * households of those groups with the county's reviews. Prints CPU time per size and the growth
 * factor against the smallest size; asserts nothing about time.
 *
 *   npm run bench:performance-growth -- --sizes 5000,15000,45000
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { reviewObligations, reviewsByHousehold, type ReviewVisit } from '../src/domain/performance/review-obligations';
import { visitObligations, type WorkerVisit } from '../src/domain/performance/visit-obligations';
import { parsePeriod } from '../src/domain/performance/period';
import type { GroupFacts, HouseholdFacts } from '../src/domain/visits/due';
import { SchedulePolicySchema } from '../src/domain/visits/schedule-policy';
import defaultPolicy from '../policies/schedule-policy.default.json' with { type: 'json' };

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '5000,15000,45000' } } });
const sizes = values.sizes.split(',').map(Number);
const policy = SchedulePolicySchema.parse(defaultPolicy);
const period = parsePeriod('2023-H2');
const asOf = '2023-12-20';
// The county's proportions (45,000 households, 1,103 groups, 70 workers), kept as it grows.
let WORKERS = 70;
let GROUPS = 1103;
const id = (kind: string, n: number) => `00000000-0000-4000-8000-${kind}${String(n).padStart(11, '0')}`;

function world(households: number) {
  WORKERS = Math.max(1, Math.round((households * 70) / 45_000));
  GROUPS = Math.max(1, Math.round((households * 1103) / 45_000));
  const groups: GroupFacts[] = Array.from({ length: GROUPS }, (_, g) => ({
    groupId: id('1', g),
    villageId: 'v',
    townId: 't',
    workerId: null,
    registeredOn: '2020-01-01',
  }));
  const holder = (g: number) => id('2', g % WORKERS);
  const hh: HouseholdFacts[] = Array.from({ length: households }, (_, h) => ({
    householdId: id('3', h),
    groupId: id('1', h % GROUPS),
    villageId: 'v',
    townId: 't',
    workerId: null,
    registeredOn: '2020-01-01',
    incomeStability: h % 2 ? 'stable' : 'unstable',
    anyoneAbleToWork: h % 3 === 0,
    memberships: h % 7 === 0 ? [{ group: 'dibao', from: '2022-0' + (1 + (h % 9)) + '-01', to: null }] : [],
  }));
  const visits = new Map<string, WorkerVisit[]>();
  const reviews: ReviewVisit[] = [];
  let n = 0;
  for (const month of period.months) {
    for (const g of groups) {
      const gi = Number(g.groupId.slice(-11));
      const list = visits.get(holder(gi)) ?? visits.set(holder(gi), []).get(holder(gi))!;
      list.push({ visitId: id('4', n++), groupId: g.groupId, householdId: null, date: `${month}-1${gi % 9}`, kind: 'routine', late: false });
    }
    for (const h of hh) {
      if (h.memberships.length === 0) continue;
      const gi = Number(h.groupId.slice(-11));
      const date = `${month}-2${gi % 8}`;
      visits.get(holder(gi))!.push({ visitId: id('4', n++), groupId: h.groupId, householdId: h.householdId, date, kind: 'routine', late: false });
      if (Number(h.householdId.slice(-11)) % 6 === Number(month.slice(5)) % 6) reviews.push({ visitId: id('5', n++), householdId: h.householdId, date });
    }
  }
  return { groups, households: hh, visits, reviews, holder };
}

function measureAll(w: ReturnType<typeof world>) {
  const groupMap = new Map(w.groups.map((g) => [g.groupId, g]));
  const byGroup = new Map<string, HouseholdFacts[]>();
  for (const h of w.households) (byGroup.get(h.groupId) ?? byGroup.set(h.groupId, []).get(h.groupId)!).push(h);
  const reviews = reviewsByHousehold(w.reviews);
  let total = 0;
  for (let k = 0; k < WORKERS; k++) {
    const worker = id('2', k);
    const assignments = w.groups.filter((_, g) => w.holder(g) === worker).map((g) => ({ groupId: g.groupId, from: '2020-01-01', to: null }));
    const held = assignments.flatMap((a) => byGroup.get(a.groupId) ?? []);
    const common = { period, asOf, schedulePolicies: [policy], assignments };
    total += visitObligations({ ...common, minHeldDaysPerMonth: 15, groups: groupMap, householdsByGroup: byGroup, visits: w.visits.get(worker) ?? [] }).total;
    total += reviewObligations({ ...common, households: held, reviews }).total;
  }
  return total;
}

let base: number | null = null;
for (const households of sizes) {
  const w = world(households);
  measureAll(w); // warm-up
  const cpu = process.cpuUsage();
  const obligations = measureAll(w);
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000;
  base ??= ms;
  console.log(
    `${String(households).padStart(6)} households, ${WORKERS} workers: ${obligations} obligations, cpu ${ms.toFixed(0).padStart(6)} ms (${(ms / base).toFixed(1)}× the first size) load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
