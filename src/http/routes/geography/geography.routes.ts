import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { GeographyService } from '../../../application/geography/geography.service';
import { commandContext } from '../../command-context';
import { csvToRows, dropEmpty } from '../../csv';
import { problemResponses } from '../../problem';

import { ImportReportSchema } from './geography.schemas';

/** The bulk import of towns, villages and villager groups. */
export const geographyRoutes: FastifyPluginAsyncZod<{ geography: GeographyService; clock: Clock }> = async (app, { geography, clock }) => {
  app.post(
    '/api/v1/geography/import',
    {
      schema: {
        tags: ['geography'],
        summary: 'Import towns, villages and groups from a JSON array or CSV (kind,code,name,parent_code,village_kind); re-importing changes nothing',
        body: z.union([z.array(z.record(z.string(), z.unknown())).max(20_000), z.string().max(5_000_000)]),
        response: { 200: ImportReportSchema, ...problemResponses },
      },
    },
    async (request) => {
      const rows = typeof request.body === 'string' ? csvToRows(request.body).map(dropEmpty) : request.body;
      return geography.import(commandContext(request, clock), rows);
    },
  );
};
