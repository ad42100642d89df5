import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/application/hash-chain';
import { evaluateEligibility } from '../../src/domain/assistance/eligibility/eligibility';
import { policyContentHash } from '../../src/domain/shared/policy/policy-hash';
import { definePolicyVersion } from '../../src/domain/assistance/policy/policy-version';
import { policy2023, policy2024 } from './policy-fixtures';

/**
 * What the auditor's replay relies on: a decision re-run on its stored facts and the stored
 * policy version gives the same result, byte for byte, and every number in it is an integer.
 */
const requests = [
  {
    program: 'dibao',
    decisionDate: '2024-03-05',
    facts: {
      residence: 'rural',
      members: [
        { personId: 'p1', birthDate: '1950-02-28', labourCapacity: 'none', disabilities: [{ type: 'physical', grade: 2 }] },
        { personId: 'p2', birthDate: '1978-09-01', labourCapacity: 'full', seriousIllness: true },
      ],
      incomes: [
        { personId: 'p2', source: 'farming', fenPerYear: 333_333 },
        { personId: 'p1', source: 'pension', fenPerYear: 77_777 },
        { source: 'award', fenPerYear: 10_000 },
      ],
      property: { financialAssetsFen: 123_456, vehicles: 0, housingUnits: 1 },
      incomeStability: 'unstable',
    },
  },
  {
    program: 'tekun',
    decisionDate: '2024-02-29',
    facts: {
      residence: 'urban',
      applicant: { personId: 'a1', birthDate: '1964-02-29', labourCapacity: 'none' },
      incomes: [{ source: 'pension', fenPerYear: 100_000 }],
      supporters: [
        { relation: 'child', incapacityReasons: ['in_prison'] },
        { relation: 'spouse', incapacityReasons: ['deceased'] },
      ],
    },
  },
  {
    program: 'unsupported_child',
    decisionDate: '2024-07-01',
    facts: { child: { personId: 'c1', birthDate: '2012-02-29' }, father: { situation: 'out_of_contact', since: '2024-01-01' }, mother: { situation: 'dead' } },
  },
  { program: 'temporary', decisionDate: '2024-06-08', facts: { cause: 'fire', occurredOn: '2024-06-08', requestedFen: 450_000, emergency: true } },
] as const;

function integersOnly(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => integersOnly(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => integersOnly(v, `${path}.${k}`));
  return [];
}

describe('eligibility determinism', () => {
  it.each(requests.map((r) => [r.program, r] as const))('%s: re-running the stored decision gives the identical result', (_, request) => {
    const decided = evaluateEligibility(policy2024, request);
    // What a decision event stores, and what a replay reads back years later.
    const stored = JSON.parse(JSON.stringify({ facts: request, policy: policy2024, policyHash: policyContentHash(policy2024), result: decided }));
    const replayPolicy = definePolicyVersion(stored.policy);
    expect(policyContentHash(replayPolicy)).toBe(stored.policyHash);
    const replayed = evaluateEligibility(replayPolicy, stored.facts);
    expect(replayed).toEqual(stored.result);
    expect(canonicalJson(replayed)).toBe(canonicalJson(stored.result));
    expect(canonicalJson(evaluateEligibility(policy2024, request))).toBe(canonicalJson(decided));
  });

  it.each(requests.map((r) => [r.program, r] as const))('%s: money, ages and counts are integers only', (_, request) => {
    expect(integersOnly(evaluateEligibility(policy2024, request))).toEqual([]);
  });

  it('does not depend on the key order of the stored facts', () => {
    const reorder = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reorder)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reorder(v)]),
            )
          : value;
    for (const request of requests) {
      expect(canonicalJson(evaluateEligibility(policy2024, reorder(request)))).toBe(canonicalJson(evaluateEligibility(policy2024, request)));
    }
  });

  it('changes when the facts change, so an altered record is caught by replay', () => {
    const altered = structuredClone(requests[0]) as unknown as { facts: { incomes: { fenPerYear: number }[] } };
    altered.facts.incomes[0]!.fenPerYear += 1;
    expect(canonicalJson(evaluateEligibility(policy2024, altered))).not.toBe(canonicalJson(evaluateEligibility(policy2024, requests[0])));
  });

  it('records the policy version it ran on', () => {
    expect(evaluateEligibility(policy2023, requests[3]).policyVersionId).toBe('suijiang-2023');
    expect(evaluateEligibility(policy2024, requests[3]).policyVersionId).toBe('suijiang-2024');
  });
});
