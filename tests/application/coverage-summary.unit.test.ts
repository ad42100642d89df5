import { describe, expect, it } from 'vitest';
import { coverageAtDetail } from '../../src/application/coverage/coverage-summary';

const group = (id: string, responsible: boolean, visited?: boolean) => ({
  id,
  name: `组${id}`,
  responsibleWorker: responsible ? { workerId: 'w', name: '社工', level: 'village' } : null,
  ...(visited === undefined ? {} : { visitedThisMonth: visited }),
});
const report = {
  asOf: '2023-12-20',
  towns: [
    {
      id: 't1',
      villages: [
        { id: 'v1', groups: [group('g1', true, true), group('g2', false, false), group('g3', true, false)] },
        { id: 'v2', groups: [] },
      ],
    },
  ],
  gaps: { groupsWithoutResponsibleWorker: [{ id: 'g2' }] },
  totals: { groups: 3 },
};

describe('the coverage report at a detail level', () => {
  it('gives each village its groups as the counts the board draws gaps from, and empties the lists in a summary', () => {
    const summary = coverageAtDetail(report, 'summary');
    expect(summary.detail).toBe('summary');
    expect(summary.towns[0]!.villages.map((v) => [v.id, v.groups, v.groupCounts])).toEqual([
      ['v1', [], { total: 3, withoutResponsibleWorker: 1, visitedThisMonth: 1, notVisitedThisMonth: 2 }],
      ['v2', [], { total: 0, withoutResponsibleWorker: 0, visitedThisMonth: 0, notVisitedThisMonth: 0 }],
    ]);
    // Gaps and totals are the whole report's, whatever the detail.
    expect(summary.gaps).toEqual(report.gaps);
    expect(summary.totals).toEqual(report.totals);
  });

  it('keeps every group in the whole tree, with the same counts', () => {
    const tree = coverageAtDetail(report, 'groups');
    expect(tree.detail).toBe('groups');
    expect(tree.towns[0]!.villages[0]!.groups).toEqual(report.towns[0]!.villages[0]!.groups);
    expect(tree.towns[0]!.villages[0]!.groupCounts.total).toBe(3);
  });

  it('counts no visit gap when the report says nothing about visits', () => {
    const silent = { ...report, towns: [{ id: 't1', villages: [{ id: 'v1', groups: [group('g1', true), group('g2', false)] }] }] };
    expect(coverageAtDetail(silent, 'summary').towns[0]!.villages[0]!.groupCounts).toEqual({
      total: 2,
      withoutResponsibleWorker: 1,
      visitedThisMonth: 0,
      notVisitedThisMonth: 0,
    });
  });
});
