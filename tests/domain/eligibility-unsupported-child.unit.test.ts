import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../src/domain/assistance/eligibility/eligibility';
import type { EligibilityResult } from '../../src/domain/assistance/eligibility/eligibility-result';
import { policy2024 } from './policy-fixtures';

type Parent = { situation: string; since?: string | null };
const LONG_AGO = '2020-01-01';

function child(father: Parent, mother: Parent, decisionDate = '2024-06-30', birthDate = '2015-03-01') {
  return { program: 'unsupported_child', decisionDate, facts: { child: { personId: 'c1', birthDate }, father, mother } };
}
const failed = (result: EligibilityResult) => result.rules.filter((r) => !r.passed).map((r) => r.id);

describe('事实无人抚养儿童: parent situations', () => {
  it.each([
    ['both in prison', { situation: 'in_prison', since: LONG_AGO }, { situation: 'compulsory_drug_rehab', since: LONG_AGO }, []],
    ['both severely disabled or ill', { situation: 'severe_disability' }, { situation: 'serious_illness' }, []],
    ['father dead, mother seriously ill', { situation: 'dead' }, { situation: 'serious_illness' }, []],
    ['father declared missing, mother stripped of guardianship', { situation: 'declared_missing' }, { situation: 'guardianship_revoked' }, []],
    [
      'father out of contact, mother otherwise deprived of liberty',
      { situation: 'out_of_contact', since: LONG_AGO },
      { situation: 'deprived_of_liberty', since: LONG_AGO },
      [],
    ],
    ['both dead: an orphan, not this program', { situation: 'dead' }, { situation: 'dead' }, ['unsupported_child.parents_combination']],
    ['father dead, mother declared missing: an orphan', { situation: 'dead' }, { situation: 'declared_missing' }, ['unsupported_child.parents_combination']],
    [
      'father dead, mother able',
      { situation: 'dead' },
      { situation: 'none_of_these' },
      ['unsupported_child.mother_situation', 'unsupported_child.parents_combination'],
    ],
    ['father in prison, mother able', { situation: 'in_prison', since: LONG_AGO }, { situation: 'none_of_these' }, ['unsupported_child.mother_situation']],
  ])('%s', (_, father, mother, failedRules) => {
    const result = evaluateEligibility(policy2024, child(father, mother));
    expect(failed(result)).toEqual(failedRules);
    expect(result.outcome).toBe(failedRules.length === 0 ? 'eligible' : 'ineligible');
  });

  it('names the orphan case in its reason', () => {
    const result = evaluateEligibility(policy2024, child({ situation: 'dead' }, { situation: 'dead' }));
    expect(result.rules.at(-1)!.reason.zh).toContain('应按孤儿认定');
  });
});

describe('事实无人抚养儿童: detention and loss of contact must have lasted 6 months', () => {
  // Started 2024-01-01: six months are reached on 2024-07-01.
  it.each([
    ['6 months minus one day', 'out_of_contact', '2024-06-30', false],
    ['exactly 6 months', 'out_of_contact', '2024-07-01', true],
    ['6 months minus one day in prison', 'in_prison', '2024-06-30', false],
    ['exactly 6 months in drug rehabilitation', 'compulsory_drug_rehab', '2024-07-01', true],
  ])('%s (%s, decided %s) → %s', (_, situation, decisionDate, passed) => {
    const result = evaluateEligibility(policy2024, child({ situation, since: '2024-01-01' }, { situation: 'dead' }, decisionDate));
    const r = result.rules.find((x) => x.id === 'unsupported_child.father_situation')!;
    expect(r.passed).toBe(passed);
    expect(r.inputs.qualifiesFrom).toBe('2024-07-01');
    expect(result.outcome).toBe(passed ? 'eligible' : 'ineligible');
  });

  it('counts calendar months to a shorter month end (31 Aug + 6 months = 29 Feb)', () => {
    const at = (decisionDate: string) =>
      evaluateEligibility(policy2024, child({ situation: 'in_prison', since: '2023-08-31' }, { situation: 'dead' }, decisionDate)).outcome;
    expect(at('2024-02-28')).toBe('ineligible');
    expect(at('2024-02-29')).toBe('eligible');
  });

  it('cannot establish the duration without a start date', () => {
    const result = evaluateEligibility(policy2024, child({ situation: 'out_of_contact' }, { situation: 'dead' }));
    expect(failed(result)).toEqual(['unsupported_child.father_situation', 'unsupported_child.parents_combination']);
    expect(result.rules[1]!.reason.en).toContain('no start date recorded');
  });

  it('does not require a duration for disability or illness', () => {
    expect(evaluateEligibility(policy2024, child({ situation: 'severe_disability', since: '2024-06-29' }, { situation: 'dead' })).outcome).toBe('eligible');
  });
});

describe('事实无人抚养儿童: the child', () => {
  const bothDetained = [
    { situation: 'in_prison', since: LONG_AGO },
    { situation: 'in_prison', since: LONG_AGO },
  ] as const;
  it.each([
    ['17 years 364 days', '2006-07-01', '2024-06-30', true],
    ['18 on the birthday', '2006-06-30', '2024-06-30', false],
    ['born 29 Feb, still 17 on 28 Feb of a common year', '2008-02-29', '2026-02-28', true],
    ['born 29 Feb, 18 on 1 March of a common year', '2008-02-29', '2026-03-01', false],
  ])('%s (born %s, decided %s) → %s', (_, birthDate, decisionDate, passed) => {
    const result = evaluateEligibility(policy2024, child(bothDetained[0], bothDetained[1], decisionDate, birthDate));
    expect(result.rules[0]).toMatchObject({ id: 'unsupported_child.child_age_below_limit', passed });
  });

  it('pays the policy allowance', () => {
    const result = evaluateEligibility(policy2024, child(...bothDetained));
    expect(result.amount).toMatchObject({ monthlyFen: 115_000 });
  });
});
