import { describe, expect, it } from 'vitest';
import { CASE_STEPS, FOLLOWS, requireStepDate, type CaseStep } from '../../src/domain/assistance/case-dates';
import { decideCase } from '../../src/domain/assistance/case.decide';
import { evolveCase, initialCaseState, type CaseEvent, type CaseState } from '../../src/domain/assistance/case.events';
import { DomainRuleViolation } from '../../src/domain/shared/errors';

const NOW = '2023-08-20T02:00:00.000Z'; // county day 2023-08-20
const rule = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof DomainRuleViolation) return e.rule;
    throw e;
  }
};

describe('dates that follow each other: every step against each step it follows', () => {
  const pairs = CASE_STEPS.flatMap((step) => FOLLOWS[step].map((before) => [step, before] as [CaseStep, CaseStep]));
  it('covers every step of the procedure', () => {
    expect(new Set(pairs.map(([s]) => s))).toEqual(new Set(CASE_STEPS.filter((s) => s !== 'applied')));
  });
  it.each(pairs)('%s may not be dated before %s, may be dated the same day, and never after today', (step, before) => {
    const dates = { [before]: '2023-08-10' };
    expect(rule(() => requireStepDate(dates, step, '2023-08-09', NOW))).toBe('case.date_before_previous_step');
    expect(rule(() => requireStepDate(dates, step, '2023-08-10', NOW))).toBeNull();
    expect(rule(() => requireStepDate(dates, step, '2023-08-21', NOW))).toBe('case.date_in_future');
  });
  it('uses the county day, not UTC: 17:00 UTC is already the next day in the county', () => {
    expect(rule(() => requireStepDate({}, 'applied', '2023-08-21', '2023-08-20T17:00:00.000Z'))).toBeNull();
  });
});

describe('the decider applies the rule to each dated command', () => {
  const app = {
    caseId: '00000000-0000-4000-8000-000000000001',
    program: 'dibao' as const,
    householdId: '00000000-0000-4000-8000-000000000002',
    applicantPersonId: '00000000-0000-4000-8000-000000000003',
    groupId: '00000000-0000-4000-8000-000000000004',
    villageId: '00000000-0000-4000-8000-000000000005',
    townId: '00000000-0000-4000-8000-000000000006',
    channel: 'self' as const,
    trigger: null,
    startedByWorkerId: null,
    relativeOf: null,
    recordedAt: NOW,
  };
  const history = (...events: CaseEvent[]): CaseState => events.reduce(evolveCase, initialCaseState());
  const applied: CaseEvent = { type: 'CaseApplied', data: { ...app, appliedOn: '2023-08-10' } };
  const accepted: CaseEvent = { type: 'CaseAccepted', data: { caseId: app.caseId, acceptedOn: '2023-08-12', reviewDueOn: '2023-09-15', recordedAt: NOW } };
  const investigated: CaseEvent = {
    type: 'DataCheckRecorded',
    data: { caseId: app.caseId, checkId: app.caseId, source: 'bank', checkedOn: '2023-08-14', result: '无', discrepancy: false, recordedAt: NOW },
  };
  const noticed: CaseEvent = {
    type: 'NoticePosted',
    data: { caseId: app.caseId, noticeId: app.caseId, postedOn: '2023-08-15', endsOn: '2023-08-22', confirmationDueOn: '2023-09-05', recordedAt: NOW },
  };

  const table: { name: string; state: CaseState; command: (on: string) => Parameters<typeof decideCase>[0]; previousOn: string }[] = [
    {
      name: 'interview after acceptance',
      state: history(applied, accepted),
      command: (on) => ({ type: 'RecordNeighbourInterview', data: { interviewId: app.caseId, on, interviewee: '邻居', summary: '', now: NOW } }),
      previousOn: '2023-08-12',
    },
    {
      name: 'data check after acceptance',
      state: history(applied, accepted),
      command: (on) => ({ type: 'RecordDataCheck', data: { checkId: app.caseId, source: 'bank', checkedOn: on, result: '无', discrepancy: false, now: NOW } }),
      previousOn: '2023-08-12',
    },
    {
      name: 'facts after acceptance',
      state: history(applied, accepted),
      command: (on) => ({ type: 'RecordEconomicFacts', data: { facts: {}, recordedOn: on, now: NOW } }),
      previousOn: '2023-08-12',
    },
    {
      name: 'objection after the notice',
      state: history(applied, accepted, investigated, noticed),
      command: (on) => ({ type: 'RecordObjection', data: { on, summary: '反映', now: NOW } }),
      previousOn: '2023-08-15',
    },
  ];
  it.each(table)('$name', ({ state, command, previousOn }) => {
    const dayBefore = new Date(Date.parse(`${previousOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(rule(() => decideCase(command(dayBefore), state))).toBe('case.date_before_previous_step');
    expect(rule(() => decideCase(command(previousOn), state))).toBeNull();
    expect(rule(() => decideCase(command('2023-08-21'), state))).toBe('case.date_in_future');
  });
  it('refuses an application dated after today', () => {
    const { recordedAt: _r, ...data } = app;
    expect(rule(() => decideCase({ type: 'Apply', data: { ...data, appliedOn: '9999-12-31', now: NOW } }, initialCaseState()))).toBe('case.date_in_future');
  });
});
