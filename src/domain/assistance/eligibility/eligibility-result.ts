/**
 * What a rule evaluation produces. Everything is plain JSON (strings, integers, booleans,
 * arrays in a fixed order) so a decision event can store it as is, and a replay can compare
 * the stored result with a fresh one by canonical JSON.
 */

export type Program = 'dibao' | 'tekun' | 'unsupported_child' | 'orphan' | 'temporary';

export interface Bilingual {
  zh: string;
  en: string;
}

export type RuleInputValue = string | number | boolean | null | readonly string[];
export type RuleInputs = Record<string, RuleInputValue>;

export interface RuleResult {
  /** Stable, dotted, never reused for a different meaning: `dibao.income_below_standard`. */
  id: string;
  passed: boolean;
  /** Says what was compared, with the numbers. */
  reason: Bilingual;
  inputs: RuleInputs;
}

export interface Computation extends Bilingual {
  formula: string;
  values: Record<string, number | string>;
}

export type Amount = { monthlyFen: number; computation: Computation } | { oneOffFen: number; computation: Computation };

/** A finding that is reported alongside the rules but does not decide the outcome. */
export interface Classification {
  id: string;
  applies: boolean;
  reason: Bilingual;
  inputs: RuleInputs;
}

export interface ApprovalLevel {
  level: 'town' | 'county';
  reason: Bilingual;
  inputs: RuleInputs;
}

/** The class or grade a decision puts the beneficiary in (分类施保 class, 特困 care grade, orphan placement). */
export interface AssistanceCategory {
  kind: 'dibao_class' | 'care_grade' | 'orphan_placement';
  code: string;
  label: string;
  reason: Bilingual;
  inputs: RuleInputs;
}

export interface EligibilityResult {
  program: Program;
  decisionDate: string;
  policyVersionId: string;
  /** Eligible exactly when every rule passed. */
  outcome: 'eligible' | 'ineligible';
  rules: RuleResult[];
  /** Only when eligible. */
  amount?: Amount;
  /** 低保 only: whether an ineligible household is a 低保-margin household (低保边缘). */
  dibaoMargin?: Classification;
  /** 临时救助 only, when eligible: whether the town may approve alone. */
  approval?: ApprovalLevel;
  /** When eligible and the policy version defines classes or grades for the program. */
  category?: AssistanceCategory;
}

export const outcomeOf = (rules: readonly RuleResult[]): 'eligible' | 'ineligible' => (rules.every((r) => r.passed) ? 'eligible' : 'ineligible');
