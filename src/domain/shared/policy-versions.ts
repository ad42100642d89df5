/**
 * Versioned rules (schedule, detection, scoring policies): the version in force on a day is the
 * latest whose effective date is on or before it; of two with the same date, the higher version.
 * Null when none is in force yet.
 */
export function latestInForce<T extends { effectiveFrom: string; version: number }>(versions: readonly T[], day: string): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (v.effectiveFrom > day) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.version > best.version)) best = v;
  }
  return best;
}
