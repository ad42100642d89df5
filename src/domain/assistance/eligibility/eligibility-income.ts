import type { IncomeSource } from '../policy/policy-vocabulary';

/**
 * Counted income: the sum of incomes whose source the policy does not exclude. Summed in the
 * facts' own order with integers, so the total is exact and the same on every replay.
 */
export function countIncome(incomes: readonly { source: IncomeSource; fenPerYear: number }[], excluded: readonly IncomeSource[]) {
  let counted = 0;
  let excludedTotal = 0;
  for (const income of incomes) {
    if (excluded.includes(income.source)) excludedTotal += income.fenPerYear;
    else counted += income.fenPerYear;
  }
  if (!Number.isSafeInteger(counted) || !Number.isSafeInteger(excludedTotal)) throw new RangeError('income total is not an exact integer');
  return { countedFenPerYear: counted, excludedFenPerYear: excludedTotal };
}
