import { describe, expect, it } from 'vitest';
import { addMonths, lastDayOf } from '../../src/domain/calendar/calendar-months';
import { computeSchedule, type GroupFacts, type HouseholdFacts, type VisitFacts } from '../../src/domain/visits/due';
import { schedulePolicyOn, type SchedulePolicy } from '../../src/domain/visits/schedule-policy';
import { visitDecider } from '../../src/domain/visits/visit';
import policyFile from '../../policies/schedule-policy.default.json';
import { given } from './decider-spec';

const policy = policyFile as SchedulePolicy;
const place = { villageId: 'v1', townId: 't1', workerId: 'w1' };
const group: GroupFacts = { groupId: 'g1', registeredOn: '2023-01-01', ...place };
const household = (over: Partial<HouseholdFacts> = {}): HouseholdFacts => ({
  householdId: 'h1',
  groupId: 'g1',
  registeredOn: '2023-01-01',
  incomeStability: 'stable',
  anyoneAbleToWork: false,
  memberships: [{ group: 'left_behind_elder', from: '2023-01-01', to: null }],
  ...place,
  ...over,
});
const visit = (date: string, householdId: string | null = 'h1', kind = 'routine'): VisitFacts => ({ groupId: 'g1', householdId, date, kind });

describe('calendar months', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2023-08-31', 6, '2024-02-29'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2023-12-15', 1, '2024-01-15'],
  ])('%s + %i months = %s', (from, n, expected) => expect(addMonths(from, n)).toBe(expected));
  it('knows the last day of a leap February', () => {
    expect(lastDayOf('2024-02')).toBe('2024-02-29');
    expect(lastDayOf('2100-02')).toBe('2100-02-28');
  });
});

describe('visit decider: the date window', () => {
  const record = (date: string, today: string) => ({
    type: 'RecordVisit' as const,
    data: {
      visitId: '11111111-1111-4111-8111-111111111111',
      workerId: '22222222-2222-4222-8222-222222222222',
      householdId: null,
      groupId: '33333333-3333-4333-8333-333333333333',
      date,
      kind: 'routine' as const,
      findings: '',
      followUpActions: [],
      peopleServed: 0,
      today,
      backdateWindowDays: 7,
      policyVersion: 1,
      now: '2026-03-02T02:00:00.000Z',
    },
  });
  it('refuses a visit in the future', () => given(visitDecider).when(record('2026-03-03', '2026-03-02')).thenThrows('visit.date_in_future'));
  it('records a visit of today as on time', () =>
    expect(visitDecider.decide(record('2026-03-02', '2026-03-02'), { status: 'none' })[0]!.data.late).toBe(false));
  it('flags a visit back-dated within the window (across a month end) as late', () =>
    expect(visitDecider.decide(record('2026-02-23', '2026-03-02'), { status: 'none' })[0]!.data.late).toBe(true));
  it('refuses a visit back-dated past the window', () =>
    given(visitDecider).when(record('2026-02-22', '2026-03-02')).thenThrows('visit.backdated_too_far', { backdateWindowDays: 7 }));
});

describe('schedule computation', () => {
  it('is due this month until the month ends, then overdue; a visit in the month makes it done', () => {
    const items = computeSchedule('2024-02-29', policy, [group], [household()], [visit('2024-01-10')]);
    const householdItems = items.filter((i) => i.obligation === 'household_monthly_visit');
    expect(householdItems.find((i) => i.month === '2024-02')).toMatchObject({ status: 'due', dueDate: '2024-02-29' });
    expect(householdItems.find((i) => i.month === '2024-01')).toMatchObject({ status: 'done', lastVisit: '2024-01-10' });
    expect(householdItems.find((i) => i.month === '2023-12')).toMatchObject({ status: 'overdue' });
    // The household visit also counts for its group.
    expect(items.find((i) => i.obligation === 'group_monthly_visit' && i.month === '2024-01')!.status).toBe('done');
    expect(items.find((i) => i.obligation === 'group_monthly_visit' && i.month === '2023-12')!.status).toBe('overdue');
  });

  it('does not owe a monthly visit for a household outside the special groups, or before it was registered', () => {
    const items = computeSchedule('2024-03-05', policy, [], [household({ memberships: [] }), household({ householdId: 'h2', registeredOn: '2024-03-01' })], []);
    expect(items.filter((i) => i.householdId === 'h1')).toEqual([]);
    expect(items.filter((i) => i.householdId === 'h2').map((i) => i.month)).toEqual(['2024-03']);
  });

  it('reviews unstable households able to work every 6 months, 特困 every 12, from the last review', () => {
    const unstable = household({ incomeStability: 'unstable', anyoneAbleToWork: true, memberships: [{ group: 'dibao', from: '2023-08-31', to: null }] });
    const tekun = household({
      householdId: 'h2',
      incomeStability: 'unstable',
      anyoneAbleToWork: true,
      memberships: [{ group: 'tekun_scattered', from: '2023-08-31', to: null }],
    });
    const items = computeSchedule('2024-03-01', policy, [], [unstable, tekun], []);
    expect(items.find((i) => i.householdId === 'h1' && i.obligation === 'dynamic_review')).toMatchObject({
      dueDate: '2024-02-29',
      status: 'overdue',
      interval: { months: 6 },
    });
    expect(items.find((i) => i.householdId === 'h2' && i.obligation === 'dynamic_review')).toMatchObject({
      dueDate: '2024-08-31',
      status: 'due',
      interval: { months: 12 },
    });
    const reviewed = computeSchedule('2024-03-01', policy, [], [unstable], [visit('2024-02-20', 'h1', 'review')]);
    expect(reviewed.find((i) => i.obligation === 'dynamic_review')).toMatchObject({ dueDate: '2024-08-20', status: 'due', lastVisit: '2024-02-20' });
  });

  it('moves obligations with the group: the responsible worker is whoever holds the group now', () => {
    const items = computeSchedule('2024-02-10', policy, [{ ...group, workerId: 'w2' }], [household({ workerId: 'w2' })], []);
    expect(new Set(items.map((i) => i.workerId))).toEqual(new Set(['w2']));
  });

  it('uses the policy version in force on the day', () => {
    const v2 = { ...policy, version: 2, effectiveFrom: '2026-01-01', backdateWindowDays: 3 };
    expect(schedulePolicyOn([policy, v2], '2025-12-31').version).toBe(1);
    expect(schedulePolicyOn([policy, v2], '2026-01-01').version).toBe(2);
    expect(() => schedulePolicyOn([v2], '2025-01-01')).toThrow(expect.objectContaining({ rule: 'schedule_policy.none_in_force' }));
  });
});
