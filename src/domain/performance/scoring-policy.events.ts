import { z } from 'zod';
import { versionedPolicyDecider } from '../shared/policy/policy-versions';
import type { EventCatalog } from '../shared/event-schemas';
import { ScoringPolicySchema, type ScoringPolicy } from './scoring-policy';

/** Scoring policy versions: one append-only stream, like the schedule policy. */
export const ScoringPolicyVersionAddedSchema = z.object({ policy: ScoringPolicySchema, addedAt: z.string().datetime() });
export type ScoringPolicyEvent = { type: 'ScoringPolicyVersionAdded'; data: z.infer<typeof ScoringPolicyVersionAddedSchema> };
export const scoringPolicyEvents = { ScoringPolicyVersionAdded: { schema: ScoringPolicyVersionAddedSchema, version: 1 } } satisfies EventCatalog;

export type AddScoringPolicyVersion = { type: 'AddScoringPolicyVersion'; data: { policy: Omit<ScoringPolicy, 'version'>; now: string } };
export type ScoringPolicyState = { versions: ScoringPolicy[] };

export const scoringPolicyDecider = versionedPolicyDecider<AddScoringPolicyVersion, ScoringPolicyEvent, ScoringPolicy>(
  'ScoringPolicyVersionAdded',
  'scoring_policy',
);

export const SCORING_POLICY_STREAM = 'scoring-policy';
