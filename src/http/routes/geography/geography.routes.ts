import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { GeographyService } from '../../../application/geography/geography.service';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';

import { ImportReportSchema } from './geography.schemas';

/** The bulk import of towns, villages and villager groups. */
export const geographyRoutes: FastifyPluginAsyncZod<{ geography: GeographyService; clock: Clock }> = async (app, { geography, clock }) => {
  app.post(
    '/api/v1/geography/import',
    {
      schema: {
        tags: ['geography'],
        summary: 'Import towns, villages and groups from a JSON array, CSV or xlsx (kind,code,name,parent_code,village_kind); re-importing changes nothing',
        description:
          'CSV in UTF-8 (with or without BOM), UTF-16 (with BOM) or GB18030/GBK, as Excel and WPS save it; or an xlsx workbook (first sheet). A file in no such encoding is refused (400 unreadable-file).',
        body: z.array(z.record(z.string(), z.unknown())).max(20_000),
        response: { 200: ImportReportSchema, ...problemResponses },
      },
    },
    async (request) => {
      return geography.import(commandContext(request, clock), request.body);
    },
  );
};
