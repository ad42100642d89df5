import { daysBetween } from '../days';
import type { DetectionPolicy, Tier } from '../detection-policy';
import type { Observation } from '../observation';
import type { RiskCause, Severity } from '../vocabulary';

/** What a rule says about one observation: a cause, how severe, and why (shown to the worker). */
export interface Signal {
  cause: RiskCause;
  severity: Severity;
  reasons: string[];
}

/**
 * Everything a rule may read: the new observation, the person's earlier observations (oldest
 * first, from all sources), what the registry knows, the policy in force and the import day.
 */
export interface RuleInput {
  observation: Observation;
  history: readonly Observation[];
  /** The disability grade on the household register, if any (1 most severe). */
  registeredDisabilityGrade: number | null;
  policy: DetectionPolicy;
  today: string;
}

export type Rule = (input: RuleInput) => Signal[];

/** An observation older than the look-back is history, not news. */
export const isRecent = (observedOn: string, today: string, lookbackDays: number): boolean => daysBetween(observedOn, today) <= lookbackDays;

/** The highest tier the amount reaches, if any. */
export const tierFor = (amountFen: number, tiers: readonly Tier[]): Tier | null => tiers.filter((t) => t.fromFen <= amountFen).at(-1) ?? null;
