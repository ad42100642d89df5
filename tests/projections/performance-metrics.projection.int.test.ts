import { describe, expect, it } from 'vitest';
import { performanceMetricsProjection, type PerformanceFeedEvent } from '../../src/projections/performance/performance-metrics.projection';
import { materializePeriod, staleMarks, type StaleMark } from '../../src/projections/performance/performance-metrics.queries';
import type { Db } from '../../src/storage/database';
import { projectionSpec } from './projection-spec';

/**
 * The periods whose sheets are materialized (rm_performance_sheets) are the given state here:
 * the spec empties only the marks, so the events mark the periods the test materialized.
 */
const spec = projectionSpec({ ...performanceMetricsProjection, tables: ['rm_performance_stale'] });
const AT = '2025-08-10T04:00:00.000Z';
const [worker, other, group, household] = ['b1', 'b2', 'c1', 'd1'].map((s) => `00000000-0000-4000-8000-0000000000${s}`) as [string, string, string, string];
const [e1, e2, e3] = ['e1', 'e2', 'e3'].map((s) => `00000000-0000-4000-8000-0000000000${s}`) as [string, string, string];

const visit = (eventId: string, kind: 'routine' | 'review'): PerformanceFeedEvent & { eventId: string } => ({
  eventId,
  type: 'VisitRecorded',
  data: {
    visitId: eventId,
    workerId: worker,
    householdId: household,
    groupId: group,
    date: '2025-08-10',
    kind,
    findings: '',
    followUpActions: [],
    peopleServed: 1,
    late: false,
    policyVersion: 1,
    recordedAt: AT,
  },
});

const marks = async (db: Db): Promise<(StaleMark & { period: string })[]> => {
  const out: (StaleMark & { period: string })[] = [];
  for (const period of ['2025-08', '2025-H2']) out.push(...(await staleMarks(db, period)).map((m) => ({ period, ...m })));
  return out.sort((a, b) => (a.period + a.eventId < b.period + b.eventId ? -1 : 1));
};

describe('performance-metrics projection (which counters the events made stale)', () => {
  it('marks a routine visit stale for its worker, a review and a handover for every worker, in every materialized period', async () => {
    await materializePeriod(spec.db(), '2025-H2');
    await materializePeriod(spec.db(), '2025-08');
    const rows = await spec
      .given([
        visit(e1, 'routine'),
        visit(e2, 'review'),
        {
          eventId: e3,
          type: 'GroupResponsibilityAssigned',
          data: { groupId: group, workerId: other, from: '2025-08-10', previous: { workerId: worker, from: '2025-01-01', to: '2025-08-10' }, assignedAt: AT },
        },
      ])
      .expectRows(marks, [
        { period: '2025-08', eventId: e1, workerId: worker },
        { period: '2025-08', eventId: e2, workerId: null },
        { period: '2025-08', eventId: e3, workerId: null },
        { period: '2025-H2', eventId: e1, workerId: worker },
        { period: '2025-H2', eventId: e2, workerId: null },
        { period: '2025-H2', eventId: e3, workerId: null },
      ]);
    expect(rows).toHaveLength(6);
  });

  it('marks nothing while no sheet is materialized (the first read measures every worker anyway)', async () => {
    await spec.db().deleteFrom('rm_performance_sheets').execute();
    await spec.given([visit(e1, 'routine')]).expectRows(marks, []);
  });
});
