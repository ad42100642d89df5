import { describe, expect, it } from 'vitest';
import { isOverdue, nextDeadline, orderCaseQueue, type AssistanceCase } from './case-queue';
import { groupOverdueByVillage, type OverdueItem } from './overdue-by-village';
import { formatCell, lastMonths, programChart, townCompletionChart, type ReportDocument } from './report-data';
import { metCount, unmetItems, type Station } from './station-checklist';

const item = (villageId: string, groupId: string, dueDate: string, householdId: string | null = null): OverdueItem => ({
  obligation: householdId ? 'household_monthly_visit' : 'group_monthly_visit',
  groupId,
  villageId,
  townId: 't1',
  workerId: 'w1',
  householdId,
  groupName: null,
  householdName: null,
  month: dueDate.slice(0, 7),
  dueDate,
  status: 'overdue',
  lastVisit: null,
  interval: null,
});

describe('overdue visits grouped by village', () => {
  it('puts the village with most overdue first, counting its groups and households and its oldest due day', () => {
    const villages = groupOverdueByVillage([
      item('v1', 'g1', '2023-11-30'),
      item('v2', 'g3', '2023-10-31'),
      item('v2', 'g4', '2023-11-30', 'h1'),
      item('v2', 'g4', '2023-09-30', 'h2'),
    ]);
    expect(villages.map((v) => v.villageId)).toEqual(['v2', 'v1']);
    expect(villages[0]).toMatchObject({ groups: 2, households: 2, oldestDue: '2023-09-30' });
    expect(villages[0]!.items).toHaveLength(3);
  });

  it('breaks a tie in count by the oldest due day', () => {
    const villages = groupOverdueByVillage([item('v1', 'g1', '2023-11-30'), item('v2', 'g2', '2023-10-31')]);
    expect(villages.map((v) => v.villageId)).toEqual(['v2', 'v1']);
  });

  it('has no villages for no items', () => {
    expect(groupOverdueByVillage([])).toEqual([]);
  });
});

const assistanceCase = (id: string, status: string, dueDates: Partial<AssistanceCase['dueDates']>, overdue: string[] = []): AssistanceCase =>
  ({
    id,
    status,
    dueDates: { review: null, noticeEnds: null, confirmation: null, refusalNotice: null, emergencyPaperwork: null, nextDynamicReview: null, ...dueDates },
    overdue,
  }) as unknown as AssistanceCase;

describe('the case queue', () => {
  const late = assistanceCase('c-late', 'investigating', { review: '2023-11-01' }, ['review_deadline']);
  const soon = assistanceCase('c-soon', 'accepted', { review: '2023-12-20' });
  const later = assistanceCase('c-later', 'in_notice', { review: '2024-01-10', confirmation: '2024-01-05' });
  const granted = assistanceCase('c-granted', 'granted', { review: '2023-01-01', nextDynamicReview: '2024-06-30' });
  const closed = assistanceCase('c-closed', 'closed', { review: '2023-01-01' });

  it('orders overdue first, then by the nearest running deadline, cases with none last', () => {
    expect(orderCaseQueue([closed, later, granted, soon, late]).map((c) => c.id)).toEqual(['c-late', 'c-soon', 'c-later', 'c-granted', 'c-closed']);
  });

  it('shows the overdue step’s date, else the nearest deadline the status still runs', () => {
    expect(isOverdue(late)).toBe(true);
    expect(nextDeadline(late)).toEqual({ step: 'review', due: '2023-11-01', overdue: true });
    expect(nextDeadline(later)).toEqual({ step: 'confirmation', due: '2024-01-05', overdue: false });
    // A granted case's old review date binds nobody: its next dynamic review does.
    expect(nextDeadline(granted)).toEqual({ step: 'nextDynamicReview', due: '2024-06-30', overdue: false });
    expect(nextDeadline(closed)).toBeNull();
  });
});

describe('the 六有 checklist', () => {
  it('counts the met items; an item the checklist omits is unmet', () => {
    const station = { checklist: { venue: { met: true }, equipment: { met: false }, staff: { met: true } } } as unknown as Station;
    expect(metCount(station)).toBe(2);
    expect(unmetItems(station)).toEqual(['equipment', 'service_functions', 'workflows', 'rules']);
  });
});

describe('report data', () => {
  it('prints fen as yuan and basis points as percent', () => {
    expect(formatCell(123456, 'fen')).toBe('1,234.56');
    expect(formatCell(8750, 'percent_bp')).toBe('87.50%');
    expect(formatCell(null, 'int')).toBe('');
  });

  it('charts each program’s subtotal row, spending in yuan', () => {
    const doc = {
      sections: [
        {
          rows: [
            { program: '最低生活保障', residence: '农村', households: 10, persons: 25, total: 500000 },
            { program: '最低生活保障 小计', residence: '城乡合计', households: 12, persons: 30, total: 600000 },
            { program: '特困人员救助供养 小计', residence: '城乡合计', households: 3, persons: 3, total: 90000 },
            { program: '全部项目（农村）', residence: '农村', households: 13, persons: 28, total: 590000 },
          ],
        },
      ],
    } as unknown as ReportDocument;
    const chart = programChart(doc);
    expect(chart.categories).toEqual(['最低生活保障', '特困人员救助供养']);
    expect(chart.series.find((s) => s.name === '支出合计（元）')!.values).toEqual([6000, 900]);
  });

  it('sums visit completion per town before taking the rate', () => {
    const doc = {
      sections: [
        {
          rows: [
            { town: '青山镇', groupsDue: 4, groupsDone: 3, householdsDue: 10, householdsDone: 10 },
            { town: '青山镇', groupsDue: 4, groupsDone: 1, householdsDue: 0, householdsDone: 0 },
            { town: '石门乡', groupsDue: 0, groupsDone: 0, householdsDue: 0, householdsDone: 0 },
          ],
        },
      ],
    } as unknown as ReportDocument;
    const chart = townCompletionChart(doc);
    expect(chart.categories).toEqual(['青山镇', '石门乡']);
    expect(chart.series[0]!.values).toEqual([50, 0]);
    expect(chart.series[1]!.values).toEqual([100, 0]);
  });

  it('lists the twelve months back across a year end', () => {
    expect(lastMonths('2024-02', 4)).toEqual(['2024-02', '2024-01', '2023-12', '2023-11']);
  });
});
