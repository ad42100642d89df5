import type { FastifyInstance } from 'fastify';
import type { PlannerStatistics } from '../storage/planner-statistics';

/** The imports that write rows by the thousand (POST only). */
export const BULK_WRITE_ROUTES: ReadonlySet<string> = new Set(['/api/v1/data-imports', '/api/v1/geography/import', '/api/v1/assistance/legacy-imports']);

/**
 * After an import has answered, asks for fresh planner statistics (throttled, in the background):
 * the reply never waits for an ANALYZE, and a failed import changed nothing worth one.
 */
export function refreshStatisticsAfterImports(app: FastifyInstance, statistics: PlannerStatistics): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'POST' && reply.statusCode < 300 && BULK_WRITE_ROUTES.has(request.routeOptions.url ?? '')) statistics.afterBulkWrite();
  });
}
