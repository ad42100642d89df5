import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { divRoundHalfUp, formatHundredths, rateOf } from '../../src/domain/performance/fixed-point';
import { parsePeriod } from '../../src/domain/performance/period';
import { reviewObligations } from '../../src/domain/performance/review-obligations';
import { scoreWorkers, type ScoringInput } from '../../src/domain/performance/scoring';
import { ScoringPolicySchema, scoringPolicyFor, type ScoringPolicy } from '../../src/domain/performance/scoring-policy';
import { visitObligations, visitsOnTime, type WorkerVisit } from '../../src/domain/performance/visit-obligations';
import { mentoring, trainingAttended } from '../../src/domain/performance/workforce-metrics';
import { assessmentDecider } from '../../src/domain/performance/assessment.events';
import { publicationDecider } from '../../src/domain/performance/publication.events';
import { SchedulePolicySchema } from '../../src/domain/visits/schedule-policy';

const policy: ScoringPolicy = ScoringPolicySchema.parse(
  JSON.parse(readFileSync(new URL('../../policies/scoring-policy.default.json', import.meta.url), 'utf8')),
);
const schedule = SchedulePolicySchema.parse(JSON.parse(readFileSync(new URL('../../policies/schedule-policy.default.json', import.meta.url), 'utf8')));
const G = '00000000-0000-4000-8000-00000000000a';
const group = { groupId: G, villageId: 'v', townId: 't', workerId: null, registeredOn: '2020-01-01' };
const visit = (id: string, date: string, extra: Partial<WorkerVisit> = {}): WorkerVisit => ({
  visitId: id,
  groupId: G,
  householdId: null,
  date,
  kind: 'routine',
  late: false,
  ...extra,
});

describe('periods', () => {
  it('parses month, quarter, half-year and year ids into inclusive day ranges', () => {
    expect(parsePeriod('2023-06')).toMatchObject({ kind: 'month', from: '2023-06-01', to: '2023-06-30', months: ['2023-06'] });
    expect(parsePeriod('2023-Q2')).toMatchObject({ kind: 'quarter', from: '2023-04-01', to: '2023-06-30' });
    expect(parsePeriod('2024-H1')).toMatchObject({ kind: 'half_year', from: '2024-01-01', to: '2024-06-30' });
    expect(parsePeriod('2023-H2').months).toEqual(['2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12']);
    expect(parsePeriod('2023')).toMatchObject({ kind: 'year', from: '2023-01-01', to: '2023-12-31' });
    expect(() => parsePeriod('2023-H3')).toThrow(/not a period/);
  });
  it('picks the scoring policy in force on the period’s last day and refuses unscored kinds', () => {
    const v2 = { ...policy, version: 2, effectiveFrom: '2023-07-01', periodKinds: ['year' as const] };
    expect(scoringPolicyFor([policy, v2], parsePeriod('2023-H1')).version).toBe(1);
    expect(scoringPolicyFor([policy, v2], parsePeriod('2023')).version).toBe(2);
    expect(() => scoringPolicyFor([policy, v2], parsePeriod('2023-H2'))).toThrow(/does not score half_year/);
  });
});

describe('fixed point', () => {
  it('rounds half up on integers', () => {
    expect(rateOf(2, 3)).toBe(6667);
    expect(rateOf(1, 3)).toBe(3333);
    expect(divRoundHalfUp(5, 2)).toBe(3);
    expect(formatHundredths(8705)).toBe('87.05');
  });
});

describe('visit obligations', () => {
  const base = { minHeldDaysPerMonth: 10, schedulePolicies: [schedule], groups: new Map([[G, group]]), householdsByGroup: new Map() };
  it('counts a month only for the days the worker held the group, across a month boundary', () => {
    // Held 2023-05-25 .. 2023-06-14: 7 days of May (not counted), 14 days of June (counted).
    const assignments = [{ groupId: G, from: '2023-05-25', to: '2023-06-15' }];
    const m = visitObligations({
      ...base,
      period: parsePeriod('2023-Q2'),
      asOf: '2023-12-01',
      assignments,
      visits: [visit('a', '2023-05-28'), visit('b', '2023-06-20')],
    });
    // June's visit on the 20th was after the handover: the obligation of June is missed.
    expect(m).toMatchObject({ met: 0, total: 1 });
    expect(m.evidence[0]).toMatchObject({ kind: 'group_monthly_visit', id: G, date: '2023-06', met: false });
    const m2 = visitObligations({ ...base, period: parsePeriod('2023-Q2'), asOf: '2023-12-01', assignments, visits: [visit('c', '2023-06-03')] });
    expect(m2).toMatchObject({ met: 1, total: 1 });
    expect(m2.evidence[0]!.by).toEqual({ id: 'c', date: '2023-06-03' });
  });
  it('leaves the current, unfinished month out unless it is already met', () => {
    const assignments = [{ groupId: G, from: '2023-01-01', to: null }];
    const open = visitObligations({
      ...base,
      period: parsePeriod('2023-H1'),
      asOf: '2023-03-10',
      assignments,
      visits: [visit('j', '2023-01-05'), visit('f', '2023-02-05')],
    });
    expect(open).toMatchObject({ met: 2, total: 2 });
    const met = visitObligations({
      ...base,
      period: parsePeriod('2023-H1'),
      asOf: '2023-03-10',
      assignments,
      visits: [visit('j', '2023-01-05'), visit('m', '2023-03-02')],
    });
    expect(met).toMatchObject({ met: 2, total: 3 });
  });
  it('on-time rate counts back-dated visits as late', () => {
    expect(visitsOnTime(parsePeriod('2023-06'), [visit('a', '2023-06-01'), visit('b', '2023-06-02', { late: true }), visit('c', '2023-07-01')])).toMatchObject({
      met: 1,
      total: 2,
    });
  });
});

describe('dynamic reviews', () => {
  const H = '00000000-0000-4000-8000-0000000000b1';
  const household = {
    ...group,
    householdId: H,
    registeredOn: '2022-01-01',
    incomeStability: 'unstable' as const,
    anyoneAbleToWork: true,
    memberships: [{ group: 'dibao' as const, from: '2022-07-01', to: null }],
  };
  const facts = { schedulePolicies: [schedule], assignments: [{ groupId: G, from: '2022-01-01', to: null }], households: [household] };
  it('walks the review chain: due six months after the last review, met on or before it', () => {
    // Enrolled 2022-07-01: due 2023-01-01 (reviewed 2022-12-20 → met), then due 2023-06-20 (reviewed 2023-06-21 → late).
    const m = reviewObligations({
      ...facts,
      period: parsePeriod('2023-H1'),
      asOf: '2023-08-01',
      reviews: [
        { visitId: 'r1', householdId: H, date: '2022-12-20' },
        { visitId: 'r2', householdId: H, date: '2023-06-21' },
      ],
    });
    expect(m.evidence.map((e) => [e.date, e.met, e.by?.id])).toEqual([
      ['2023-01-01', true, 'r1'],
      ['2023-06-20', false, 'r2'],
    ]);
    const h2 = reviewObligations({
      ...facts,
      period: parsePeriod('2022-H2'),
      asOf: '2023-08-01',
      reviews: [{ visitId: 'r1', householdId: H, date: '2022-12-20' }],
    });
    expect(h2.evidence).toEqual([]); // the first due date, 2023-01-01, falls just after 2022-H2
  });
  it('does not count a review due on a day another worker held the group', () => {
    const m = reviewObligations({
      ...facts,
      assignments: [{ groupId: G, from: '2022-01-01', to: '2023-06-01' }],
      period: parsePeriod('2023-H1'),
      asOf: '2023-08-01',
      reviews: [{ visitId: 'r1', householdId: H, date: '2022-12-20' }],
    });
    // Held until 2023-06-01: the 2023-01-01 review is theirs, the 2023-06-20 one their successor's.
    expect(m.evidence.map((e) => e.date)).toEqual(['2023-01-01']);
  });
});

describe('training and mentoring', () => {
  it('counts only sessions held while employed, and mentoring days of the employed days', () => {
    const p = parsePeriod('2023-06');
    const t = trainingAttended(p, { hiredOn: '2023-06-10', leftOn: null }, [
      { sessionId: 's1', heldOn: '2023-06-05', attended: false },
      { sessionId: 's2', heldOn: '2023-06-15', attended: true },
      { sessionId: 's3', heldOn: '2023-06-20', attended: false },
    ]);
    expect(t).toMatchObject({ met: 1, total: 2 });
    const m = mentoring(p, '2023-12-31', { hiredOn: '2023-01-01', leftOn: null }, [{ pairId: 'p', role: 'mentee', from: '2023-06-16', to: null }]);
    expect(m).toMatchObject({ met: 15, total: 30 });
  });
});

describe('scoring', () => {
  const input = (workerId: string, townId: string | null, committee: number | null, met: number, total = 10): ScoringInput => ({
    worker: { workerId, name: workerId, level: 'village', townId },
    metrics: [{ key: 'visits_done', met, total, evidence: [] }],
    assessment:
      committee === null ? null : { assessmentId: `a-${workerId}`, revision: 1, scores: { discipline: committee, attitude: committee, knowledge: committee } },
  });
  const noCap = { ...policy, excellentCapPercent: null };
  it('weights dimensions and renormalises over measured metrics only', () => {
    const [s] = scoreWorkers(noCap, [input('w1', 't1', 80, 9)]);
    expect(s!.dimensions.task_completion.score).toBe(9000);
    expect(s!.total).toBe(divRoundHalfUp(8000 * 60 + 9000 * 40, 100));
    expect(s!.metrics.find((m) => m.key === 'cases_on_time')).toMatchObject({ score: null, total: 0 });
  });
  it('rates at the threshold edges: exactly 90.00 is 优秀, 89.99 is not; 60.00 is 合格', () => {
    const edge = (committee: number, met: number, total: number) => scoreWorkers(noCap, [input('w', 't', committee, met, total)])[0]!;
    expect(edge(85, 10, 10).total).toBe(9100); // 85×60% + 100×40%
    const exact = { ...noCap, dimensions: { discipline: 1, attitude: 0, knowledge: 0, task_completion: 0 } };
    const r = (c: number) => scoreWorkers(exact, [input('w', 't', c, 0)])[0]!.rating;
    expect([r(90), r(89), r(60), r(59)]).toEqual(['优秀', '合格', '合格', '不合格']);
    expect(scoreWorkers(exact, [input('w', 't', 89, 0)])[0]!.total).toBe(8900);
  });
  it('ranks deterministically with tie-breaks, per town and county, and leaves unassessed workers unrated', () => {
    const out = scoreWorkers(noCap, [input('b', 't1', 80, 5), input('a', 't1', 80, 5), input('c', 't2', 90, 5), input('d', 't2', null, 10)]);
    expect(out.map((s) => [s.workerId, s.rank.county, s.rank.town])).toEqual([
      ['c', 1, 1],
      ['a', 2, 1],
      ['b', 3, 2],
      ['d', null, null],
    ]);
    expect(out[3]).toMatchObject({ status: 'awaiting_assessment', total: null, rating: null });
  });
  it('caps the share rated excellent (floor of cap% of the rated)', () => {
    const capped = { ...policy, excellentCapPercent: 20 };
    const out = scoreWorkers(
      capped,
      ['a', 'b', 'c', 'd', 'e', 'f'].map((w, i) => input(w, 't', 100 - i, 10)),
    );
    expect(out.map((s) => s.rating)).toEqual(['优秀', '合格', '合格', '合格', '合格', '合格']);
    expect(out[1]!.ratingCapped).toBe(true);
  });
});

describe('assessment and publication deciders', () => {
  const base = {
    assessmentId: '00000000-0000-4000-8000-000000000001',
    workerId: '00000000-0000-4000-8000-000000000002',
    period: '2023-H1',
    scores: { discipline: 90, attitude: 80, knowledge: 70 },
    comments: { discipline: '', attitude: '', knowledge: '' },
    assessedBy: 'e',
    now: '2023-07-02T00:00:00.000Z',
  };
  it('a correction appends the next revision and needs a reason', () => {
    const [first] = assessmentDecider.decide({ type: 'RecordAssessment', data: { ...base, correctionReason: null } }, assessmentDecider.initialState());
    const state = assessmentDecider.evolve(assessmentDecider.initialState(), first!);
    expect(() => assessmentDecider.decide({ type: 'RecordAssessment', data: { ...base, correctionReason: null } }, state)).toThrow(/needs a reason/);
    const [second] = assessmentDecider.decide({ type: 'RecordAssessment', data: { ...base, correctionReason: 'typo' } }, state);
    expect(second!.data).toMatchObject({ revision: 2, correctionReason: 'typo' });
  });
  it('publishes only closed periods', () => {
    const cmd = (periodClosed: boolean) => ({
      type: 'PublishScores' as const,
      data: { period: '2023-H1', policyVersion: 1, asOf: '2023-07-02', scores: [], publishedBy: 'e', periodClosed, now: '2023-07-02T00:00:00.000Z' },
    });
    expect(() => publicationDecider.decide(cmd(false), { revision: 0 })).toThrow(/not ended/);
    expect(publicationDecider.decide(cmd(true), { revision: 1 })[0]!.data.revision).toBe(2);
  });
});
