import { definePolicyVersion, type PolicyVersion } from '../../src/domain/assistance/policy/policy-version';
import { policy2023Input } from './policy-fixtures';

/**
 * Suijiang's 2023 policy with the county standards (figures plausible, not official):
 * 分类施保 A (no one can work, or a severely disabled member: gap + ¥60/person/month),
 * B (a seriously ill, elderly or severely disabled member: the gap), C (any other: ¥150/person/month,
 * at most the gap); 特困 care allowances ¥0 / ¥300 / ¥900 a month; orphans ¥1,600 in an institution,
 * ¥1,200 scattered; a ¥50,000 reserve float per town.
 */
export const standards2023Input = {
  ...policy2023Input,
  id: 'suijiang-2023-standards',
  dibaoClasses: {
    classes: [
      {
        code: 'A',
        label: 'A类',
        when: [['all_members_no_labour_capacity'], ['member_severe_disability']],
        amount: { kind: 'gap_plus', supplementFenPerPersonMonth: { urban: 8_000, rural: 6_000 } },
      },
      { code: 'B', label: 'B类', when: [['member_serious_illness'], ['member_elder']], amount: { kind: 'gap' } },
      { code: 'C', label: 'C类', when: [['any_household']], amount: { kind: 'fixed_per_person', fenPerPersonMonth: { urban: 20_000, rural: 15_000 } } },
    ],
  },
  tekunCare: {
    grades: [
      { grade: 'self_care', maxActivitiesUnable: 0, monthlyCareFen: 0 },
      { grade: 'partial_care', maxActivitiesUnable: 3, monthlyCareFen: 30_000 },
      { grade: 'full_care', maxActivitiesUnable: 6, monthlyCareFen: 90_000 },
    ],
  },
  orphanStandards: { institutionMonthlyFen: 160_000, scatteredMonthlyFen: 120_000 },
  reserveFund: { floatFenPerTown: 5_000_000, lowBalanceFen: 1_000_000 },
};

export const standards2023: PolicyVersion = definePolicyVersion(standards2023Input);
