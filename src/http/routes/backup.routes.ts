import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../application/permissions/permissions';
import { operationsPermissions } from '../../application/permissions/operations.permissions';
import { problem, problemResponses, sendProblem } from '../problem';
import type { AppDeps } from '../route-deps';
import { languageOf, SERVICE_DETAILS } from '../messages';

/**
 * GET /api/v1/admin/backup: a consistent dump of the embedded store taken by the process that
 * owns it (PGlite's dumpDataDir while holding its one connection), so backups need no downtime.
 * `npm run backup` calls this when a service holds the data dir. PostgreSQL deployments back up
 * with pg_dump (README "Backup and restore").
 */
export const backupRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  let running = false;
  app.get(
    '/api/v1/admin/backup',
    {
      schema: {
        tags: ['operations'],
        summary: 'Download a consistent backup of the embedded (PGlite) store as a gzip tarball (admin)',
        response: { 200: z.any().describe('application/gzip: the data directory (PGlite dumpDataDir)'), ...problemResponses },
      },
    },
    async (request, reply) => {
      await authorize(request.actor, operationsPermissions.backup, undefined, 'back up the store');
      const dump = deps.database.dumpDataDir?.bind(deps.database);
      if (!dump) {
        return sendProblem(
          request,
          reply,
          problem('backup-unsupported', 409, {
            detail: SERVICE_DETAILS.backupOnPostgres[languageOf(request)],
          }),
        );
      }
      // A dump holds the whole store in memory: one at a time.
      if (running) {
        return sendProblem(request, reply, problem('backup-in-progress', 409, { detail: SERVICE_DETAILS.backupRunning[languageOf(request)] }));
      }
      running = true;
      try {
        const started = Date.now();
        const blob = await dump.call(deps.database);
        const body = Buffer.from(await blob.arrayBuffer());
        const sha256 = createHash('sha256').update(body).digest('hex');
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        request.log.info({ actor: request.actor.id, bytes: body.length, ms: Date.now() - started }, 'backup taken');
        return reply
          .header('content-type', 'application/gzip')
          .header('content-disposition', `attachment; filename="sws-backup-${stamp}.tar.gz"`)
          .header('x-backup-sha256', sha256)
          .header('cache-control', 'no-store')
          .send(body);
      } finally {
        running = false;
      }
    },
  );
};
