import type { paths } from '../../api/schema';

export type AuditRun = paths['/api/v1/audit/runs/{id}']['get']['responses'][200]['content']['application/json'];
export type AuditRunKind = AuditRun['kind'];

/** Poll a run every second while it runs; stop once it has succeeded or failed. */
export const pollInterval = (run: AuditRun | undefined): number | false => (run && run.state === 'running' ? 1000 : false);

/** Progress in percent, or null while the total is not known yet. */
export function percentDone(run: AuditRun): number | null {
  if (run.state !== 'running') return 100;
  const { done, total } = run.progress;
  return total ? Math.min(100, Math.floor((done / total) * 100)) : null;
}

/** The report's top-level figures (numbers, booleans, short strings) to list; nested parts stay in the raw view. */
export function reportFigures(result: Record<string, unknown> | null): [string, string][] {
  if (!result) return [];
  return Object.entries(result).flatMap(([key, value]): [string, string][] => {
    if (typeof value === 'number' || typeof value === 'boolean') return [[key, String(value)]];
    if (typeof value === 'string' && value.length <= 80) return [[key, value]];
    if (Array.isArray(value)) return [[key, `${value.length}`]];
    return [];
  });
}
