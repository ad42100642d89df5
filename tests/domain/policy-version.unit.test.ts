import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/application/hash-chain';
import { policyCanonicalJson, policyContentHash } from '../../src/domain/shared/policy/policy-hash';
import { policyVersionInForce } from '../../src/domain/assistance/policy/policy-selection';
import { definePolicyVersion } from '../../src/domain/assistance/policy/policy-version';
import { policy2023, policy2023Input, policy2023With, policy2024 } from './policy-fixtures';

describe('policy version', () => {
  it('fills in the national defaults', () => {
    expect(policy2023.dibao.marginMultiplierBp).toBe(15_000);
    expect(policy2023.tekun).toMatchObject({ elderAgeFrom: 60, minorAgeBelow: 16, basicLivingMinMultiplierBp: 13_000 });
    expect(policy2023.tekun.qualifyingDisabilities).toEqual([
      { type: 'intellectual', grades: [1, 2] },
      { type: 'mental', grades: [1, 2] },
      { type: 'physical', grades: [1] },
    ]);
    expect(policy2023.deadlines).toEqual({
      reviewWorkingDays: 25,
      extendedReviewWorkingDays: 40,
      confirmationWorkingDays: 10,
      refusalNoticeWorkingDays: 3,
      emergencyPaperworkWorkingDays: 5,
      noticePeriodDays: 7,
    });
    expect(policy2023.reviewIntervals).toEqual({ unstableAbleToWorkMonths: 6, stableOrUnableToWorkMonths: 12, tekunMonths: 12 });
    expect(policy2023.unsupportedChild).toMatchObject({ childAgeBelow: 18, minimumDurationMonths: 6 });
    expect(policy2023.monthlyRounding).toEqual({ unitFen: 1, mode: 'up' });
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(policy2023)).toBe(true);
    expect(Object.isFrozen(policy2023.dibao.standardFenPerPersonYear)).toBe(true);
    expect(Object.isFrozen(policy2023.tekun.qualifyingDisabilities[0]!.grades)).toBe(true);
    expect(() => {
      (policy2023.dibao.standardFenPerPersonYear as { rural: number }).rural = 1;
    }).toThrow(TypeError);
  });

  it.each([
    [
      'a 特困 standard below 1.3 × the 低保 standard',
      (p: typeof policy2023Input) => ({ ...p, tekun: { basicLivingStandardFenPerYear: { urban: 1_107_599, rural: 733_200 } } }),
    ],
    [
      'an extended review shorter than the ordinary one',
      (p: typeof policy2023Input) => ({ ...p, deadlines: { ...p.deadlines, reviewWorkingDays: 25, extendedReviewWorkingDays: 20 } }),
    ],
    ['money in yuan with decimals', (p: typeof policy2023Input) => ({ ...p, temporary: { ...p.temporary, maxOneOffFen: 10_000.5 } })],
    ['a disability grade 5', (p: typeof policy2023Input) => ({ ...p, tekun: { ...p.tekun, qualifyingDisabilities: [{ type: 'physical', grades: [5] }] } })],
    ['a county code that is not 6 digits', (p: typeof policy2023Input) => ({ ...p, countyCode: '5306' })],
    ['an impossible date', (p: typeof policy2023Input) => ({ ...p, effectiveFrom: '2023-02-29' })],
  ])('rejects %s', (_, patch) => {
    expect(() => policy2023With(patch)).toThrow();
  });

  it('accepts a 特困 standard of exactly 1.3 × the 低保 standard', () => {
    expect(policy2023.tekun.basicLivingStandardFenPerYear.rural * 10).toBe(policy2023.dibao.standardFenPerPersonYear.rural * 13);
  });
});

describe('policy version in force', () => {
  const otherCounty = definePolicyVersion({ ...policy2023Input, id: 'other-2023', countyCode: '530621', effectiveFrom: '2022-01-01' });
  const versions = [policy2024, otherCounty, policy2023];

  it.each([
    ['2023-01-01', 'suijiang-2023'], // the day it takes effect
    ['2023-12-31', 'suijiang-2023'],
    ['2024-01-01', 'suijiang-2024'],
    ['2030-06-01', 'suijiang-2024'],
  ])('on %s it is %s', (date, id) => {
    expect(policyVersionInForce(versions, '530626', date).id).toBe(id);
    expect(policyVersionInForce([...versions].reverse(), '530626', date).id).toBe(id);
  });

  it('fails when no version had started yet, ignoring other counties', () => {
    expect(() => policyVersionInForce(versions, '530626', '2022-12-31')).toThrow(expect.objectContaining({ rule: 'policy.none_in_force' }));
    expect(() => policyVersionInForce([], '530626', '2023-06-01')).toThrow(expect.objectContaining({ rule: 'policy.none_in_force' }));
  });

  it('refuses two versions starting the same day, but only while they are the latest', () => {
    const twin = definePolicyVersion({ ...policy2023Input, id: 'suijiang-2023-bis' });
    expect(() => policyVersionInForce([policy2023, twin], '530626', '2023-06-01')).toThrow(expect.objectContaining({ rule: 'policy.ambiguous_version' }));
    expect(policyVersionInForce([policy2023, twin, policy2024], '530626', '2024-06-01').id).toBe('suijiang-2024');
  });

  it('refuses a malformed date instead of comparing it as text', () => {
    expect(() => policyVersionInForce(versions, '530626', '2024-1-5')).toThrow(expect.objectContaining({ rule: 'date.invalid' }));
  });
});

describe('policy content hash', () => {
  it('is a SHA-256 hex digest, stable across calls', () => {
    expect(policyContentHash(policy2023)).toMatch(/^[0-9a-f]{64}$/);
    expect(policyContentHash(policy2023)).toBe(policyContentHash(policy2023));
  });

  it('is the same for the stored version and the request that created it (defaults omitted, keys reordered)', () => {
    const reordered = Object.fromEntries(Object.entries(policy2023Input).reverse());
    expect(policyContentHash(reordered)).toBe(policyContentHash(policy2023));
    expect(policyContentHash(JSON.parse(JSON.stringify(policy2023)))).toBe(policyContentHash(policy2023));
  });

  it('changes with any value', () => {
    expect(policyContentHash(policy2024)).not.toBe(policyContentHash(policy2023));
    const oneFenMore = policy2023With((p) => ({ ...p, temporary: { ...p.temporary, townApprovalLimitFen: 300_001 } }));
    expect(policyContentHash(oneFenMore)).not.toBe(policyContentHash(policy2023));
  });

  it('uses the same canonical JSON as the event store hash chain', () => {
    const sample = { b: [3, { z: 1, a: undefined, y: [null, 'x'] }], a: '低保', c: { e: true, d: -0 } };
    expect(policyCanonicalJson(sample)).toBe(canonicalJson(sample));
    expect(policyCanonicalJson(policy2023)).toBe(canonicalJson(policy2023));
  });
});
