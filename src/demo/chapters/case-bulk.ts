/**
 * The county's everyday assistance work around the named stories: cases of every program left in
 * every state of the procedure, decided ones paid month by month, some reviewed (continued,
 * adjusted or stopped). Planned first from the chapter's random stream (pure, so a re-run plans
 * the same cases), then run a few cases at a time; each case's own steps run in order.
 */
import type { Program } from '../../domain/assistance/case.events';
import { addDays, addMonths } from '../../domain/calendar/working-days.iso-date';
import type { DemoHousehold, Rng } from '../context';
import type { CaseContext } from './case-steps';
import { dibaoFacts, orphanFacts, residenceOf, tekunFacts, temporaryFacts, townMayConfirm, unsupportedChildFacts } from './case-facts';
import { DEMO_LAST_DAY, monthsBetween, type CaseDesk } from './case-desk';
import { subjectOf, type HouseholdPool } from './case-households';

/** Where a case's story stops. */
export type Target =
  | 'applied'
  | 'accepted'
  | 'investigating'
  | 'in_notice'
  | 'submitted'
  | 'checked'
  | 'returned'
  | 'granted'
  | 'reviewed'
  | 'stopped'
  | 'denied'
  | 'temporary'
  | 'emergency'
  | 'emergency_open';

export interface CasePlan {
  key: string;
  program: Program;
  target: Target;
  household: DemoHousehold;
  appliedOn: string;
  channel: 'self' | 'proactive' | 'emergency';
  /** Decisions the plan takes if it runs to its end (for the decision target). */
  decisions: number;
}

const IN_PROGRESS: Target[] = ['applied', 'accepted', 'investigating', 'in_notice', 'submitted', 'checked', 'returned'];
const PROGRAMS: [Program, number][] = [
  ['dibao', 55],
  ['tekun', 12],
  ['temporary', 25],
  ['orphan', 3],
  ['unsupported_child', 5],
];

function weighted<T>(rng: Rng, items: readonly [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items.at(-1)![0];
}

function targetFor(program: Program, rng: Rng): Target {
  if (program === 'temporary')
    return weighted(rng, [
      ['temporary', 55],
      ['emergency', 40],
      ['emergency_open', 5],
    ]);
  if (program === 'dibao')
    return weighted<Target>(rng, [['granted', 50], ['reviewed', 10], ['stopped', 4], ['denied', 14], ...IN_PROGRESS.map((t): [Target, number] => [t, 3])]);
  return weighted<Target>(rng, [
    ['granted', 85],
    ['denied', 5],
    ['in_notice', 5],
    ['investigating', 5],
  ]);
}

const DECISIONS: Record<Target, number> = {
  applied: 0,
  accepted: 0,
  investigating: 0,
  in_notice: 0,
  submitted: 0,
  checked: 0,
  returned: 0,
  granted: 1,
  reviewed: 2,
  stopped: 2,
  denied: 1,
  temporary: 1,
  emergency: 2,
  emergency_open: 1,
};

/** A working day of the year: finished stories start from February to October, open ones in the last weeks. */
function startDay(desk: CaseDesk, target: Target, rng: Rng): string {
  // Late enough to be still open on the demo's last day, early enough to have reached their state.
  if (target === 'submitted' || target === 'checked' || target === 'returned') return desk.workday(addDays('2023-11-20', rng.int(0, 4)));
  if (IN_PROGRESS.includes(target) || target === 'emergency_open') return desk.workday(addDays('2023-11-27', rng.int(0, 14)));
  if (target === 'reviewed' || target === 'stopped') return desk.workday(addDays('2023-01-09', rng.int(0, 100)));
  return desk.workday(addDays('2023-02-01', rng.int(0, 270)));
}

/** One case of each state and program first, so that even the tiny county shows every one. */
const TOUR: [Program, Target][] = [
  ...(['granted', 'reviewed', 'stopped', 'denied', ...IN_PROGRESS] as Target[]).map((t): [Program, Target] => ['dibao', t]),
  ['temporary', 'temporary'],
  ['temporary', 'emergency'],
  ['temporary', 'emergency_open'],
  ['tekun', 'granted'],
  ['orphan', 'granted'],
  ['unsupported_child', 'granted'],
];

export function planCases(ctx: CaseContext, desk: CaseDesk, pool: HouseholdPool, decisionsWanted: number): CasePlan[] {
  const rng = ctx.rng('cases:plan');
  const plans: CasePlan[] = [];
  const exhausted = new Set<Program>();
  let decisions = 0;
  const add = (program: Program, target: Target) => {
    const [household] = pool.take(program, 1);
    const appliedOn = startDay(desk, target, rng);
    if (!household) {
      exhausted.add(program);
      return;
    }
    const channel = target === 'emergency' || target === 'emergency_open' ? 'emergency' : rng.chance(0.2) ? 'proactive' : 'self';
    plans.push({ key: `bulk:${plans.length + 1}`, program, target, household, appliedOn, channel, decisions: DECISIONS[target] });
    decisions += DECISIONS[target];
  };
  for (const [program, target] of TOUR) add(program, target);
  while (decisions < decisionsWanted && exhausted.size < PROGRAMS.length) {
    const program = weighted(
      rng,
      PROGRAMS.filter(([p]) => !exhausted.has(p)),
    );
    add(program, targetFor(program, rng));
  }
  return plans;
}

export interface RunCounts {
  cases: number;
  decisions: number;
  payments: number;
}

/** Runs one plan to its target (or as far as the demo's last day allows). */
export async function runPlan(ctx: CaseContext, desk: CaseDesk, plan: CasePlan, counts: RunCounts): Promise<void> {
  const { key, household: h, program, target } = plan;
  const rng = ctx.rng(`case:${key}`);
  const residence = residenceOf(ctx.world.villages.find((v) => v.id === h.villageId)?.kind);
  const subject = subjectOf(program, h)!;
  let day = plan.appliedOn;
  const next = (n: number): string | null => {
    const d = desk.after(day, n);
    if (d) day = d;
    return d;
  };
  const caseId = await desk.apply(key, day, h, program, plan.channel, subject.personId);
  counts.cases++;

  if (target === 'emergency' || target === 'emergency_open') {
    const facts = temporaryFacts(day, rng, true);
    const limited = { ...facts, requestedFen: Math.min(facts.requestedFen, 300_000) };
    await desk.grantEmergency(key, caseId, day, h, limited);
    await desk.payOneOff(key, caseId, day, h, 'town');
    counts.decisions++;
    counts.payments++;
    if (target === 'emergency_open' || !next(2)) return;
    await desk.investigate(key, caseId, day, h, limited, '灾情属实');
    if (!next(1)) return;
    await desk.completeEmergency(key, caseId, day, h);
    counts.decisions++;
    return;
  }

  if (target === 'applied' || !next(1)) return;
  await desk.accept(key, caseId, day, h);
  if (target === 'accepted' || !next(2)) return;

  const eligible = target !== 'denied';
  const facts = factsFor(program, h, subject, residence, day, rng, eligible);
  await desk.investigate(key, caseId, day, h, facts);
  if (target === 'investigating') return;

  if (program !== 'temporary') {
    if (!next(1)) return;
    await desk.notice(key, caseId, day, h);
    if (target === 'in_notice') return;
    // Submitted the first working day after the 7-day notice ends.
    const after = desk.after(addDays(day, 7), 1);
    if (!after) return;
    day = after;
  } else if (!next(1)) return;
  await desk.submit(key, caseId, day, h);
  if (target === 'submitted' || !next(2)) return;
  if (target === 'returned') {
    await desk.check(key, caseId, day, h, '家庭收入核算缺少务工收入证明，请补充后重新报送');
    return;
  }
  await desk.check(key, caseId, day, h);
  if (target === 'checked' || !next(2)) return;

  const authority = program === 'temporary' && townMayConfirm((facts as { requestedFen: number }).requestedFen) ? 'town' : 'county';
  const decided = await desk.decide(key, caseId, day, h, authority);
  counts.decisions++;
  if (decided.status === 'denied') {
    if (next(1)) await desk.notifyRefusal(key, caseId, day, h);
    return;
  }
  if (program === 'temporary') {
    // Paid the day it is confirmed: the roll counts a one-off grant in its decision's month.
    await desk.payOneOff(key, caseId, day, h, authority);
    counts.payments++;
    return;
  }
  const from = decided.paymentInForce?.from.slice(0, 7);
  if (!from) return;
  if (target !== 'reviewed' && target !== 'stopped') {
    for (const month of monthsBetween(from, DEMO_LAST_DAY.slice(0, 7))) if (await desk.payMonth(key, caseId, month, h)) counts.payments++;
    return;
  }
  // 动态复核 six months on, on the 20th (after that month's payment): same, changed or no longer eligible.
  const reviewDay = desk.workday(`${addMonths(day, 6).slice(0, 7)}-20`);
  for (const month of monthsBetween(from, reviewDay.slice(0, 7))) if (await desk.payMonth(key, caseId, month, h)) counts.payments++;
  const change = target === 'stopped' ? 'stopped' : rng.pick(['same', 'same', 'changed'] as const);
  const reviewed = change === 'same' ? facts : dibaoFacts(h, residence, reviewDay, rng, change !== 'stopped', change === 'stopped' ? 2.4 : 0.1);
  const after = await desk.review(key, caseId, reviewDay, h, reviewed);
  counts.decisions++;
  if (after.status === 'stopped') return;
  const nextMonth = addMonths(`${reviewDay.slice(0, 7)}-01`, 1).slice(0, 7);
  for (const month of monthsBetween(nextMonth, DEMO_LAST_DAY.slice(0, 7))) if (await desk.payMonth(key, caseId, month, h)) counts.payments++;
}

function factsFor(
  program: Program,
  h: DemoHousehold,
  subject: DemoHousehold['members'][number],
  residence: 'urban' | 'rural',
  day: string,
  rng: Rng,
  eligible: boolean,
): unknown {
  switch (program) {
    case 'dibao':
      return dibaoFacts(h, residence, day, rng, eligible);
    case 'tekun': {
      const facts = tekunFacts(subject, residence, day, rng);
      // A denied 特困 application: the investigation found a son able to support the applicant.
      return eligible ? facts : { ...facts, supporters: [{ relation: 'child', incapacityReasons: [] }] };
    }
    case 'orphan':
      return orphanFacts(subject, rng);
    case 'unsupported_child':
      return eligible ? unsupportedChildFacts(subject) : { ...unsupportedChildFacts(subject), mother: { situation: 'none_of_these' } };
    case 'temporary':
      return temporaryFacts(addDays(day, -3), rng, false);
  }
}
