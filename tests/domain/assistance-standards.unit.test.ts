import { describe, expect, it } from 'vitest';
import { caseDecider } from '../../src/domain/assistance/case.decide';
import { caseEvents, type CaseEvent } from '../../src/domain/assistance/case.events';
import { evaluateEligibility } from '../../src/domain/assistance/eligibility/eligibility';
import type { EligibilityResult } from '../../src/domain/assistance/eligibility/eligibility-result';
import { policyCanonicalJson, policyContentHash } from '../../src/domain/shared/policy/policy-hash';
import { definePolicyVersion } from '../../src/domain/assistance/policy/policy-version';
import { fold } from '../../src/domain/shared/decider';
import { policy2023, policy2023Input } from './policy-fixtures';
import { standards2023, standards2023Input } from './standards-fixtures';
import { chinaCalendar2023To2024 } from './working-days-fixtures';

const monthly = (r: EligibilityResult) => (r.amount && 'monthlyFen' in r.amount ? r.amount.monthlyFen : undefined);
type Member = {
  personId: string;
  birthDate: string;
  labourCapacity: 'full' | 'partial' | 'none';
  disabilities?: { type: string; grade: number }[];
  seriousIllness?: boolean;
};
const adult = (id: string, extra: Partial<Member> = {}): Member => ({ personId: id, birthDate: '1980-01-01', labourCapacity: 'full', ...extra });
const dibao = (members: Member[], incomeFen: number, residence = 'rural') => ({
  program: 'dibao',
  decisionDate: '2023-06-15',
  facts: {
    residence,
    members,
    incomes: [{ source: 'farming', fenPerYear: incomeFen }],
    property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
    incomeStability: 'stable',
  },
});

describe('分类施保: the class is the first row of the table that holds', () => {
  // Rural standard 564,000 fen/person/year. Two members, income 600,000: gap = 1,128,000 − 600,000 = 528,000/yr = 44,000/month.
  it.each([
    ['no one can work', [adult('a', { labourCapacity: 'none' }), adult('b', { labourCapacity: 'none' })], 600_000, 'A', 44_000 + 2 * 6_000],
    ['a member with a grade-2 disability', [adult('a'), adult('b', { disabilities: [{ type: 'physical', grade: 2 }] })], 600_000, 'A', 56_000],
    ['a grade-3 disability is not severe: falls to C', [adult('a'), adult('b', { disabilities: [{ type: 'physical', grade: 3 }] })], 600_000, 'C', 30_000],
    ['a seriously ill member', [adult('a'), adult('b', { seriousIllness: true })], 600_000, 'B', 44_000],
    ['a member aged 60 on the decision date', [adult('a'), adult('b', { birthDate: '1963-06-15' })], 600_000, 'B', 44_000],
    ['a member one day short of 60', [adult('a'), adult('b', { birthDate: '1963-06-16' })], 600_000, 'C', 30_000],
    ['any other household: ¥150 × 2', [adult('a'), adult('b')], 600_000, 'C', 30_000],
    ['C never pays above the gap', [adult('a'), adult('b')], 1_000_000, 'C', 10_667], // gap 128,000/yr ÷ 12 rounded up
  ] as const)('%s → class %s, %i fen/month', (_, members, income, code, fen) => {
    const r = evaluateEligibility(standards2023, dibao([...members] as Member[], income));
    expect(r.outcome).toBe('eligible');
    expect(r.category).toMatchObject({ kind: 'dibao_class', code });
    expect(monthly(r)).toBe(fen);
  });

  it('urban households get the urban supplement', () => {
    // Urban 852,000 × 1 − 0 = 852,000/yr = 71,000/month, + 8,000 supplement.
    const r = evaluateEligibility(standards2023, dibao([adult('a', { labourCapacity: 'none' })], 0, 'urban'));
    expect(monthly(r)).toBe(79_000);
    expect(r.amount!.computation.zh).toContain('A类');
  });

  it('an ineligible household gets no class', () => {
    expect(evaluateEligibility(standards2023, dibao([adult('a')], 10_000_000)).category).toBeUndefined();
  });

  it('a version must give every household a class', () => {
    const classes = { classes: standards2023Input.dibaoClasses.classes.slice(0, 2) };
    expect(() => definePolicyVersion({ ...standards2023Input, dibaoClasses: classes })).toThrow(/last class must apply to any household/);
  });
});

describe('特困 care grades: 6 daily activities, the grade table, the care allowance', () => {
  // Rural basic living 733,200/yr = 61,100/month.
  const tekun = (activitiesUnable?: number) => ({
    program: 'tekun',
    decisionDate: '2023-06-15',
    facts: {
      residence: 'rural',
      applicant: { personId: 'p', birthDate: '1950-01-01', labourCapacity: 'none' },
      incomes: [],
      supporters: [],
      ...(activitiesUnable === undefined ? {} : { careAssessment: { activitiesUnable, assessedOn: '2023-06-01' } }),
    },
  });
  it.each([
    [0, 'self_care', '全自理', 61_100],
    [1, 'partial_care', '半护理', 91_100],
    [3, 'partial_care', '半护理', 91_100],
    [4, 'full_care', '全护理', 151_100],
    [6, 'full_care', '全护理', 151_100],
  ])('%i activities not done → %s (%s), %i fen/month', (n, grade, label, fen) => {
    const r = evaluateEligibility(standards2023, tekun(n));
    expect(r.category).toMatchObject({ kind: 'care_grade', code: grade, label });
    expect(monthly(r)).toBe(fen);
  });
  it('a version with grades needs the self-care assessment', () => {
    expect(() => evaluateEligibility(standards2023, tekun())).toThrow(expect.objectContaining({ rule: 'eligibility.care_assessment_missing' }));
    expect(monthly(evaluateEligibility(policy2023, tekun()))).toBe(61_100); // a version without grades: as before
  });
});

describe('orphans: 集中 and 散居 standards', () => {
  const orphan = (placement?: string) => ({
    program: 'orphan',
    decisionDate: '2023-06-15',
    facts: {
      child: { personId: 'c', birthDate: '2015-01-01' },
      father: { situation: 'dead' },
      mother: { situation: 'declared_missing' },
      ...(placement ? { placement } : {}),
    },
  });
  it.each([
    ['institution', '集中供养孤儿', 160_000],
    ['scattered', '散居孤儿', 120_000],
  ])('%s → %s, %i fen/month', (placement, label, fen) => {
    const r = evaluateEligibility(standards2023, orphan(placement));
    expect(r.category).toMatchObject({ kind: 'orphan_placement', code: placement, label });
    expect(monthly(r)).toBe(fen);
  });
  it('needs the placement when the version has both standards', () => {
    expect(() => evaluateEligibility(standards2023, orphan())).toThrow(expect.objectContaining({ rule: 'eligibility.orphan_placement_missing' }));
  });
});

describe('versions without the county standards', () => {
  it('keep their content: no new keys, the same hash as before the standards existed', () => {
    expect(policyCanonicalJson(policy2023)).not.toMatch(/dibaoClasses|tekunCare|orphanStandards|reserveFund/);
    // The hash the same input had before the standards were added (computed on the previous commit).
    expect(policyContentHash(policy2023Input)).toBe('563a0868554ff6aa0eb0f29e812ad0d59ef6e624288a5bd785554a7f0956696f');
  });
});

describe('a decision records the class with the policy version', () => {
  const caseId = '00000000-0000-4000-8000-0000000000c1';
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const at = '2023-06-01T00:00:00.000Z';
  const facts = dibao([adult('a', { labourCapacity: 'none' })], 0).facts;
  const history: CaseEvent[] = [
    {
      type: 'CaseApplied',
      data: {
        caseId,
        program: 'dibao',
        householdId: id(2),
        applicantPersonId: id(3),
        groupId: id(4),
        villageId: id(5),
        townId: id(6),
        channel: 'self',
        trigger: null,
        startedByWorkerId: null,
        relativeOf: null,
        appliedOn: '2023-05-04',
        recordedAt: at,
      },
    },
    { type: 'CaseAccepted', data: { caseId, acceptedOn: '2023-05-05', reviewDueOn: '2023-06-12', recordedAt: at } },
    { type: 'EconomicFactsRecorded', data: { caseId, facts, recordedOn: '2023-05-10', recordedAt: at } },
    {
      type: 'HomeInvestigationRecorded',
      data: { caseId, investigationId: id(7), investigatorIds: [id(8), id(9)], level: 'town', on: '2023-05-11', findings: '属实', recordedAt: at },
    },
    { type: 'NoticePosted', data: { caseId, noticeId: id(10), postedOn: '2023-05-15', endsOn: '2023-05-22', confirmationDueOn: '2023-06-05', recordedAt: at } },
    // 报送 by the town, 审核把关 by the county worker, then the bureau confirms (issue 19's procedure).
    { type: 'CaseSubmitted', data: { caseId, submittedOn: '2023-05-23', submittedBy: { actorId: 'w', role: 'town_worker' }, recordedAt: at } },
    {
      type: 'CaseChecked',
      data: { caseId, checkedOn: '2023-05-24', result: 'forwarded', reasons: '', checkedBy: { actorId: 'c', role: 'county_worker' }, recordedAt: at },
    },
  ];
  const procedure = {
    version: 1,
    effectiveFrom: '2021-01-01',
    confirmation: [{ program: 'dibao' as const, authority: 'civil_affairs_officer' as const, maxOneOffFen: null, maxMonthlyFen: null }],
    backdateWindowDays: 7,
  };
  it('given a case after its notice, when the county decides under a version with classes, then the decision names the class and the version', () => {
    for (const e of history) caseEvents[e.type].schema.parse(e.data);
    const [decided] = caseDecider.decide(
      {
        type: 'Decide',
        data: {
          policy: standards2023,
          policyHash: policyContentHash(standards2023),
          calendar: chinaCalendar2023To2024,
          procedure,
          decisionId: id(11),
          decisionDate: '2023-05-25',
          writtenReasons: '',
          decidedBy: { id: 'officer-1', role: 'civil_affairs_officer' },
          now: at,
        },
      },
      fold(caseDecider, history),
    );
    expect(decided!.type).toBe('CaseDecided');
    const data = caseEvents.CaseDecided.schema.parse(decided!.data);
    expect(data.category).toEqual({ kind: 'dibao_class', code: 'A', label: 'A类' });
    expect(data.policy).toEqual({ id: 'suijiang-2023-standards', contentHash: policyContentHash(standards2023) });
    expect(data.payment).toEqual({ kind: 'monthly', monthlyFen: 47_000 + 6_000, from: '2023-06-01' });
  });
});
