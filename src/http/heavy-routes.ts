/**
 * Heavy routes: whole-log auditor work, exports and imports. They get a stricter rate limit per
 * caller, and some a bound on how many run at once in this process (see caller-limits.ts).
 */
export function isHeavyRoute(route: string): boolean {
  // Polling an audit run's progress is light (starting one is heavy, and bounded by AUDIT_RUNS_MAX).
  if (route === '/api/v1/audit/runs/:id') return false;
  return route.startsWith('/api/v1/audit/') || route.endsWith('.csv') || route.includes('/export') || route.includes('import');
}

/** How many of these may run at once per process; others get 429 with Retry-After. */
export const CONCURRENCY_LIMITS: Record<string, { limit: number; retryAfterSeconds: number }> = {
  'GET /api/v1/audit/verify': { limit: 1, retryAfterSeconds: 10 },
  'POST /api/v1/audit/replay': { limit: 1, retryAfterSeconds: 10 },
  'POST /api/v1/audit/ledger/verify': { limit: 1, retryAfterSeconds: 10 },
  // Every read model rebuilt: one at a time (a county's is about 15 s of both cores).
  'POST /api/v1/projections/rebuild': { limit: 1, retryAfterSeconds: 30 },
  'GET /api/v1/decisions/export': { limit: 2, retryAfterSeconds: 5 },
  'GET /api/v1/performance.csv': { limit: 2, retryAfterSeconds: 5 },
};
