import type { PolicyVersion } from '../../policy/policy-version';
import type { DibaoFacts } from './eligibility-facts';
import { countIncome } from './eligibility-income';
import { RESIDENCE_LABELS } from './eligibility-labels';
import { describeRounding, divideRounded, exactProduct, floorQuotient, formatBasisPoints, formatFen } from './eligibility-money';
import { outcomeOf, type Amount, type Classification, type EligibilityResult, type RuleResult } from './eligibility-result';

/**
 * 低保. Per-capita income is compared without dividing: income ÷ n < standard exactly when
 * income < standard × n, so no rounding can move a household across the line. The per-capita
 * figure shown in reasons is rounded down to the fen, which gives the same verdict against an
 * integer standard (⌊x⌋ < s ⇔ x < s).
 *
 * Amount: (standard − income ÷ n) × n = standard × n − income, an exact integer of fen per year;
 * the monthly amount is that ÷ 12 with the policy's rounding (default: up to the whole fen).
 */
export function evaluateDibao(policy: PolicyVersion, decisionDate: string, facts: DibaoFacts): EligibilityResult {
  const { dibao } = policy;
  const n = facts.members.length;
  const standard = dibao.standardFenPerPersonYear[facts.residence];
  const area = RESIDENCE_LABELS[facts.residence];
  const { countedFenPerYear: income, excludedFenPerYear: excluded } = countIncome(facts.incomes, dibao.excludedIncomeSources);
  const perCapitaShown = floorQuotient(income, n);
  const belowStandard = income < exactProduct(standard, n);

  const rules: RuleResult[] = [
    {
      id: 'dibao.income_below_standard',
      passed: belowStandard,
      reason: {
        zh: `家庭年收入${formatFen(income)}元（另有不计入收入${formatFen(excluded)}元），共${n}人，人均${formatFen(perCapitaShown)}元/年，${belowStandard ? '低于' : '不低于'}${area.zh}低保标准${formatFen(standard)}元/人·年`,
        en: `household income CNY ${formatFen(income)}/year (CNY ${formatFen(excluded)} not counted) for ${n} member${n === 1 ? '' : 's'} is CNY ${formatFen(perCapitaShown)} per person per year, ${belowStandard ? 'below' : 'not below'} the ${area.en} 低保 standard of CNY ${formatFen(standard)} per person per year`,
      },
      inputs: {
        residence: facts.residence,
        members: n,
        countedIncomeFenPerYear: income,
        excludedIncomeFenPerYear: excluded,
        perCapitaIncomeFenPerYearRoundedDown: perCapitaShown,
        standardFenPerPersonYear: standard,
      },
    },
    ...propertyRules(policy, facts),
  ];
  const outcome = outcomeOf(rules);
  const result: EligibilityResult = { program: 'dibao', decisionDate, policyVersionId: policy.id, outcome, rules };
  if (outcome === 'eligible') result.amount = dibaoAmount(policy, n, standard, income);
  result.dibaoMargin = marginClassification(policy, n, standard, income, outcome, rules);
  return result;
}

function propertyRules(policy: PolicyVersion, facts: DibaoFacts): RuleResult[] {
  const limits = policy.dibao.propertyLimits;
  const n = facts.members.length;
  const { financialAssetsFen, vehicles, housingUnits } = facts.property;
  const assetLimit = exactProduct(limits.financialAssetsFenPerCapita, n);
  const assetsOk = financialAssetsFen <= assetLimit;
  const vehiclesOk = vehicles <= limits.maxVehicles;
  const housingOk = housingUnits <= limits.maxHousingUnits;
  return [
    {
      id: 'dibao.financial_assets_within_limit',
      passed: assetsOk,
      reason: {
        zh: `家庭金融资产${formatFen(financialAssetsFen)}元，${assetsOk ? '未超过' : '超过'}限额${formatFen(assetLimit)}元（人均${formatFen(limits.financialAssetsFenPerCapita)}元 × ${n}人）`,
        en: `financial assets of CNY ${formatFen(financialAssetsFen)} ${assetsOk ? 'are within' : 'exceed'} the limit of CNY ${formatFen(assetLimit)} (CNY ${formatFen(limits.financialAssetsFenPerCapita)} per person × ${n})`,
      },
      inputs: { financialAssetsFen, financialAssetsFenPerCapitaLimit: limits.financialAssetsFenPerCapita, members: n, financialAssetsFenLimit: assetLimit },
    },
    {
      id: 'dibao.vehicles_within_limit',
      passed: vehiclesOk,
      reason: {
        zh: `家庭拥有机动车${vehicles}辆，${vehiclesOk ? '未超过' : '超过'}限额${limits.maxVehicles}辆`,
        en: `${vehicles} motor vehicle(s) owned, ${vehiclesOk ? 'within' : 'above'} the limit of ${limits.maxVehicles}`,
      },
      inputs: { vehicles, maxVehicles: limits.maxVehicles },
    },
    {
      id: 'dibao.housing_within_limit',
      passed: housingOk,
      reason: {
        zh: `家庭拥有住房${housingUnits}套，${housingOk ? '未超过' : '超过'}限额${limits.maxHousingUnits}套`,
        en: `${housingUnits} dwelling(s) owned, ${housingOk ? 'within' : 'above'} the limit of ${limits.maxHousingUnits}`,
      },
      inputs: { housingUnits, maxHousingUnits: limits.maxHousingUnits },
    },
  ];
}

function dibaoAmount(policy: PolicyVersion, n: number, standard: number, income: number): Amount {
  const yearlyFen = exactProduct(standard, n) - income;
  const monthlyFen = divideRounded(yearlyFen, 12, policy.monthlyRounding);
  const rounding = describeRounding(policy.monthlyRounding);
  return {
    monthlyFen,
    computation: {
      formula: 'yearly = (standard - income / members) * members = standard * members - income; monthly = round(yearly / 12)',
      values: {
        standardFenPerPersonYear: standard,
        members: n,
        countedIncomeFenPerYear: income,
        yearlyFen,
        roundingUnitFen: policy.monthlyRounding.unitFen,
        roundingMode: policy.monthlyRounding.mode,
        monthlyFen,
      },
      zh: `年补差 =（${formatFen(standard)} − ${formatFen(income)} ÷ ${n}）× ${n} = ${formatFen(standard)} × ${n} − ${formatFen(income)} = ${formatFen(yearlyFen)}元；月补差 = ${formatFen(yearlyFen)} ÷ 12，${rounding.zh}，= ${formatFen(monthlyFen)}元`,
      en: `yearly = (CNY ${formatFen(standard)} − CNY ${formatFen(income)} ÷ ${n}) × ${n} = CNY ${formatFen(standard)} × ${n} − CNY ${formatFen(income)} = CNY ${formatFen(yearlyFen)}; monthly = CNY ${formatFen(yearlyFen)} ÷ 12, ${rounding.en}, = CNY ${formatFen(monthlyFen)}`,
    },
  };
}

/**
 * 低保边缘: not a 低保 household, property within the limits, and per-capita income below the
 * margin line (multiplier × standard), compared exactly as income × 10000 < standard × n × bp.
 */
function marginClassification(policy: PolicyVersion, n: number, standard: number, income: number, outcome: string, rules: RuleResult[]): Classification {
  const bp = policy.dibao.marginMultiplierBp;
  const belowLine = exactProduct(income, 10_000) < exactProduct(exactProduct(standard, n), bp);
  const propertyOk = rules.filter((r) => r.id !== 'dibao.income_below_standard').every((r) => r.passed);
  const isDibao = outcome === 'eligible';
  const applies = !isDibao && propertyOk && belowLine;
  const pct = formatBasisPoints(bp);
  const perCapita = formatFen(floorQuotient(income, n));
  const why: { zh: string; en: string } = isDibao
    ? { zh: '符合低保条件，不属于低保边缘家庭', en: 'eligible for 低保 itself, so not a 低保-margin household' }
    : !propertyOk
      ? { zh: '家庭财产超过限额，不属于低保边缘家庭', en: 'property exceeds the limits, so not a 低保-margin household' }
      : {
          zh: `人均收入${perCapita}元/年，${belowLine ? '低于' : '不低于'}低保边缘线（低保标准${formatFen(standard)}元的${pct}）`,
          en: `per-capita income CNY ${perCapita}/year is ${belowLine ? 'below' : 'not below'} the margin line (${pct} of the 低保 standard CNY ${formatFen(standard)})`,
        };
  return {
    id: 'dibao.margin_household',
    applies,
    reason: why,
    inputs: { countedIncomeFenPerYear: income, members: n, standardFenPerPersonYear: standard, marginMultiplierBp: bp, eligibleForDibao: isDibao, propertyWithinLimits: propertyOk },
  };
}
