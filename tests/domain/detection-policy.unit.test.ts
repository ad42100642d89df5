import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DetectionPolicySchema, detectionPolicyOn, type DetectionPolicy } from '../../src/domain/detection/detection-policy';
import { detectionPolicyDecider, detectionPolicyEvents } from '../../src/domain/detection/detection-policy.events';
import { given, NOW } from './decider-spec';

const defaultPolicy = (): DetectionPolicy =>
  DetectionPolicySchema.parse(JSON.parse(readFileSync(new URL('../../policies/detection-policy.default.json', import.meta.url), 'utf8')));

describe('detection policy', () => {
  const v1 = defaultPolicy();
  const { version: _v, ...body } = v1;

  it('ships a default that parses as version 1', () => {
    expect(v1).toMatchObject({ version: 1, deadlineDays: { high: 7 } });
  });
  it('refuses tiers that fall in amount or severity', () => {
    const bad = {
      ...v1,
      illness: {
        ...v1.illness,
        outOfPocketTiers: [
          { fromFen: 500, severity: 'high' },
          { fromFen: 1000, severity: 'low' },
        ],
      },
    };
    expect(DetectionPolicySchema.safeParse(bad).success).toBe(false);
  });
  it('picks the version in force on a day, and refuses a day before any', () => {
    const v2 = { ...v1, version: 2, effectiveFrom: '2026-04-01' };
    expect(detectionPolicyOn([v1, v2], '2026-03-31').version).toBe(1);
    expect(detectionPolicyOn([v2, v1], '2026-04-01').version).toBe(2);
    expect(() => detectionPolicyOn([v2], '2026-03-01')).toThrow(expect.objectContaining({ rule: 'detection_policy.none_in_force' }));
  });

  describe('when adding versions', () => {
    it('numbers them in order', () => {
      given(detectionPolicyDecider, [], detectionPolicyEvents)
        .when({ type: 'AddDetectionPolicyVersion', data: { policy: body, now: NOW } })
        .then([{ type: 'DetectionPolicyVersionAdded', data: { policy: v1, addedAt: NOW } }]);
    });
    it('refuses one that takes effect before the previous', () => {
      given(detectionPolicyDecider, [{ type: 'DetectionPolicyVersionAdded', data: { policy: { ...v1, effectiveFrom: '2026-01-01' }, addedAt: NOW } }])
        .when({ type: 'AddDetectionPolicyVersion', data: { policy: { ...body, effectiveFrom: '2025-01-01' }, now: NOW } })
        .thenThrows('detection_policy.effective_before_previous');
    });
  });
});
