import { z } from 'zod';
import { versionedPolicyDecider } from '../shared/policy/policy-versions';
import type { EventCatalog } from '../shared/event-schemas';
import { DetectionPolicySchema, type DetectionPolicy } from './detection-policy';

/** Detection policy versions: one stream, append-only; a version never changes once added. */
export const DetectionPolicyVersionAddedSchema = z.object({ policy: DetectionPolicySchema, addedAt: z.string().datetime() });
export type DetectionPolicyEvent = { type: 'DetectionPolicyVersionAdded'; data: z.infer<typeof DetectionPolicyVersionAddedSchema> };
export const detectionPolicyEvents = { DetectionPolicyVersionAdded: { schema: DetectionPolicyVersionAddedSchema, version: 1 } } satisfies EventCatalog;

export type AddDetectionPolicyVersion = { type: 'AddDetectionPolicyVersion'; data: { policy: Omit<DetectionPolicy, 'version'>; now: string } };
export type DetectionPolicyState = { versions: DetectionPolicy[] };

export const detectionPolicyDecider = versionedPolicyDecider<AddDetectionPolicyVersion, DetectionPolicyEvent, DetectionPolicy>(
  'DetectionPolicyVersionAdded',
  'detection_policy',
);

export const DETECTION_POLICY_STREAM = 'detection-policy';
