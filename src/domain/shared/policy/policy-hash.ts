import { createHash } from 'node:crypto';
import { PolicyVersionSchema } from '../../assistance/policy/policy-version';

/**
 * Canonical JSON: object keys sorted at every depth, no whitespace, `undefined` dropped. The
 * same algorithm as the event store's hash chain (application/hash-chain.ts), repeated here
 * because the domain imports nothing outside itself; both must stay byte-identical.
 */
export function policyCanonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * SHA-256 (hex) of a version's canonical JSON. The version is parsed first, so a stored
 * version and the request that created it (defaults omitted, keys in any order) hash alike.
 * A decision records this hash; a replay that finds a different one knows the policy changed.
 */
export function policyContentHash(version: unknown): string {
  const parsed = PolicyVersionSchema.parse(version);
  return createHash('sha256').update(policyCanonicalJson(parsed)).digest('hex');
}
