import type { PolicyVersion } from '../policy/policy-version';
import type { DibaoFacts } from './eligibility-facts';
import { countIncome } from './eligibility-income';
import { RESIDENCE_LABELS } from './eligibility-labels';
import { describeRounding, divideRounded, exactProduct, floorQuotient, formatBasisPoints, formatFen } from './eligibility-money';
import type { DibaoClassAmount, DibaoClasses } from '../policy/assistance-standards';
import { dibaoClassOf } from './eligibility-categories';
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
  if (outcome === 'eligible') {
    result.amount = dibaoAmount(policy, n, standard, income);
    if (policy.dibaoClasses) {
      const { category, index } = dibaoClassOf(policy.dibaoClasses as DibaoClasses, decisionDate, facts);
      result.category = category;
      result.amount = classAmount(policy.dibaoClasses.classes[index]!.amount, category.label, facts.residence, n, result.amount);
    }
  }
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
 * 分类施保: the class's amount rule on top of (or instead of) the gap. `gap` is the national
 * formula unchanged; `gap_plus` adds a supplement per member; `fixed_per_person` pays a fixed
 * amount per member, by default never more than the gap.
 */
function classAmount(rule: DibaoClassAmount, label: string, residence: 'urban' | 'rural', n: number, gap: Amount): Amount {
  if (rule.kind === 'gap' || !('monthlyFen' in gap)) return gap;
  const gapMonthly = gap.monthlyFen;
  const values = { ...gap.computation.values, classLabel: label, gapMonthlyFen: gapMonthly };
  if (rule.kind === 'gap_plus') {
    const per = rule.supplementFenPerPersonMonth[residence];
    const monthlyFen = gapMonthly + exactProduct(per, n);
    return {
      monthlyFen,
      computation: {
        formula: `${gap.computation.formula}; class gap_plus: monthly = gap monthly + supplement per person * members`,
        values: { ...values, supplementFenPerPersonMonth: per, monthlyFen },
        zh: `${gap.computation.zh}；${label}另按每人每月${formatFen(per)}元 × ${n}人增发，月发放 = ${formatFen(gapMonthly)} + ${formatFen(exactProduct(per, n))} = ${formatFen(monthlyFen)}元`,
        en: `${gap.computation.en}; class ${label} adds CNY ${formatFen(per)} per person per month × ${n}: monthly = CNY ${formatFen(gapMonthly)} + CNY ${formatFen(exactProduct(per, n))} = CNY ${formatFen(monthlyFen)}`,
      },
    };
  }
  const per = rule.fenPerPersonMonth[residence];
  const fixed = exactProduct(per, n);
  const monthlyFen = rule.capAtGap && fixed > gapMonthly ? gapMonthly : fixed;
  const capped = monthlyFen !== fixed;
  return {
    monthlyFen,
    computation: {
      formula: `class fixed_per_person: monthly = amount per person * members${rule.capAtGap ? ', at most the gap monthly' : ''}`,
      values: { ...values, fenPerPersonMonth: per, fixedMonthlyFen: fixed, capAtGap: String(rule.capAtGap), monthlyFen },
      zh: `${label}按每人每月${formatFen(per)}元 × ${n}人 = ${formatFen(fixed)}元${capped ? `，高于补差额${formatFen(gapMonthly)}元，按补差额发放` : ''}，月发放${formatFen(monthlyFen)}元`,
      en: `class ${label}: CNY ${formatFen(per)} per person per month × ${n} = CNY ${formatFen(fixed)}${capped ? `, above the gap of CNY ${formatFen(gapMonthly)}, so the gap is paid` : ''}; monthly CNY ${formatFen(monthlyFen)}`,
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
    inputs: {
      countedIncomeFenPerYear: income,
      members: n,
      standardFenPerPersonYear: standard,
      marginMultiplierBp: bp,
      eligibleForDibao: isDibao,
      propertyWithinLimits: propertyOk,
    },
  };
}
