import type { Assignment } from '../../domain/performance/assignments';
import { METRIC_KEYS, type MetricValue } from '../../domain/performance/metric';
import { reviewObligations } from '../../domain/performance/review-obligations';
import { visitObligations, visitsOnTime } from '../../domain/performance/visit-obligations';
import { casesOnTime, mentoring, submissionsApproved, trainingAttended } from '../../domain/performance/workforce-metrics';
import type { HouseholdFacts } from '../../domain/visits/due';
import { schedulePolicies } from '../../projections/visits/visits.queries';
import * as facts from '../../projections/performance/workforce-facts.queries';
import type { MetricScope, MetricSource } from './metric-source';
import type { Db } from '../db';

const upTo = (scope: MetricScope) => (scope.period.to < scope.asOf ? scope.period.to : scope.asOf);
const ids = (scope: MetricScope) => scope.workers.map((w) => w.workerId);
const byWorker = <T extends { workerId: string }>(rows: readonly T[]) => {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(r.workerId, [...(m.get(r.workerId) ?? []), r]);
  return m;
};

/** Monthly visits done vs due, visits recorded on time, and dynamic reviews on time. */
export const visitsSource: MetricSource = {
  keys: [METRIC_KEYS.visitsDone, METRIC_KEYS.visitsOnTime, METRIC_KEYS.reviewsOnTime],
  async measure(db: Db, scope: MetricScope) {
    const { period, asOf, policy } = scope;
    const assignments = byWorker(await facts.responsibilities(db, ids(scope), period.from, period.to));
    const groupIds = [...new Set([...assignments.values()].flat().map((a) => a.groupId))];
    const { groups, households } = await facts.groupsAndHouseholds(db, groupIds);
    const groupMap = new Map(groups.map((g) => [g.groupId, g]));
    const householdsByGroup = new Map<string, HouseholdFacts[]>();
    for (const h of households) householdsByGroup.set(h.groupId, [...(householdsByGroup.get(h.groupId) ?? []), h]);
    const visits = byWorker(await facts.visitsBy(db, ids(scope), period.from, upTo(scope)));
    const reviews = await facts.reviewVisits(
      db,
      households.map((h) => h.householdId),
      asOf,
    );
    const versions = await schedulePolicies(db);

    const out = new Map<string, MetricValue[]>();
    for (const w of scope.workers) {
      const mine: Assignment[] = (assignments.get(w.workerId) ?? []).map(({ groupId, from, to }) => ({ groupId, from, to }));
      const held = new Set(mine.map((a) => a.groupId));
      const myVisits = visits.get(w.workerId) ?? [];
      out.set(w.workerId, [
        visitObligations({
          period,
          asOf,
          minHeldDaysPerMonth: policy.minHeldDaysPerMonth,
          schedulePolicies: versions,
          assignments: mine,
          groups: groupMap,
          householdsByGroup,
          visits: myVisits,
        }),
        visitsOnTime(period, myVisits),
        reviewObligations({ period, asOf, schedulePolicies: versions, assignments: mine, households: households.filter((h) => held.has(h.groupId)), reviews }),
      ]);
    }
    return out;
  },
};

/** Cases decided within the deadline and submissions approved vs returned (assistance read models). */
export const casesSource: MetricSource = {
  keys: [METRIC_KEYS.casesOnTime, METRIC_KEYS.submissionsApproved],
  async measure(db, scope) {
    const decisions = byWorker(await facts.initialDecisionsBy(db, ids(scope), scope.period.from, upTo(scope)));
    const submissions = byWorker(await facts.submissionsBy(db, ids(scope), scope.period.from, upTo(scope)));
    return new Map(
      scope.workers.map((w) => [
        w.workerId,
        [casesOnTime(scope.period, decisions.get(w.workerId) ?? []), submissionsApproved(scope.period, submissions.get(w.workerId) ?? [])],
      ]),
    );
  },
};

/** Training sessions attended and mentoring (workforce read models). */
export const trainingSource: MetricSource = {
  keys: [METRIC_KEYS.trainingAttended, METRIC_KEYS.mentoring],
  async measure(db, scope) {
    const { sessions, attended } = await facts.trainingSessions(db, scope.period.from, upTo(scope));
    const pairs = await facts.mentoringPairs(db, ids(scope), scope.period.from, scope.period.to);
    return new Map(
      scope.workers.map((w) => {
        const employment = { hiredOn: w.hiredOn, leftOn: w.leftOn };
        const mine = pairs.flatMap((p) => [
          ...(p.mentorId === w.workerId ? [{ pairId: p.pairId, role: 'mentor' as const, from: p.from, to: p.to }] : []),
          ...(p.menteeId === w.workerId ? [{ pairId: p.pairId, role: 'mentee' as const, from: p.from, to: p.to }] : []),
        ]);
        return [
          w.workerId,
          [
            trainingAttended(
              scope.period,
              employment,
              sessions.map((s) => ({ ...s, attended: attended(s.sessionId, w.workerId) })),
            ),
            mentoring(scope.period, scope.asOf, employment, mine),
          ],
        ];
      }),
    );
  },
};

export const builtinMetricSources: readonly MetricSource[] = [visitsSource, casesSource, trainingSource];
