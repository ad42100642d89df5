/**
 * The demo county's 2023 assistance policy (figures plausible, not official): rural 低保
 * ¥5,640 and urban ¥8,520 a person a year; 特困 1.3× those; 分类施保 A (gap + ¥60/person/month
 * rural), B (the gap), C (¥150/person/month, at most the gap); 特困 care allowances ¥0 / ¥300 /
 * ¥900 a month; orphans ¥1,600 in an institution, ¥1,200 scattered; 临时救助 up to ¥10,000,
 * the town confirming up to ¥3,000; a ¥50,000 reserve float per town.
 */
export const SUIJIANG_ASSISTANCE_POLICY_2023 = {
  id: 'suijiang-2023',
  countyCode: '530626',
  effectiveFrom: '2023-01-01',
  calendarId: 'cn-2023-2024',
  dibao: {
    standardFenPerPersonYear: { urban: 852_000, rural: 564_000 },
    excludedIncomeSources: ['award', 'disability_subsidy'],
    propertyLimits: { financialAssetsFenPerCapita: 2_000_000, maxVehicles: 0, maxHousingUnits: 1 },
  },
  tekun: { basicLivingStandardFenPerYear: { urban: 1_107_600, rural: 733_200 } },
  unsupportedChild: { monthlyAllowanceFen: 115_000 },
  temporary: { maxOneOffFen: 1_000_000, townApprovalLimitFen: 300_000 },
  deadlines: { emergencyPaperworkWorkingDays: 5 },
  dibaoClasses: {
    classes: [
      { code: 'A', label: 'A类', when: [['all_members_no_labour_capacity'], ['member_severe_disability']], amount: { kind: 'gap_plus', supplementFenPerPersonMonth: { urban: 8_000, rural: 6_000 } } },
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
