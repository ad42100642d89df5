import { definePolicyVersion, type PolicyVersion, type PolicyVersionInput } from '../../src/domain/assistance/policy/policy-version';

/**
 * Two versions of a Suijiang (530626) policy. Figures are plausible, not official: rural 低保
 * 5,640 yuan/person/year, urban 8,520; 特困 exactly 1.3× those; national defaults elsewhere.
 */
export const policy2023Input = {
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
} satisfies PolicyVersionInput;

export const policy2023: PolicyVersion = definePolicyVersion(policy2023Input);

export const policy2024: PolicyVersion = definePolicyVersion({
  ...policy2023Input,
  id: 'suijiang-2024',
  effectiveFrom: '2024-01-01',
  dibao: { ...policy2023Input.dibao, standardFenPerPersonYear: { urban: 876_000, rural: 588_000 } },
  tekun: { basicLivingStandardFenPerYear: { urban: 1_138_800, rural: 764_400 } },
});

/** A copy of 2023 with some fields replaced, for tests of one parameter. */
export function policy2023With(patch: (input: typeof policy2023Input) => unknown): PolicyVersion {
  return definePolicyVersion(patch(structuredClone(policy2023Input)));
}
