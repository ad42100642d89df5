import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { GeographyService } from '../../../application/geography/geography.service';
import { commandContext } from '../../command-context';
import { csvToRows, dropEmpty } from '../../csv';
import { problemResponses } from '../../problem';

import { GEOGRAPHY_IMPORT_BODY_LIMIT, GEOGRAPHY_IMPORT_MAX_ROWS, ImportReportSchema } from './geography.schemas';

/** The bulk import of towns, villages and villager groups. */
export const geographyRoutes: FastifyPluginAsyncZod<{ geography: GeographyService; clock: Clock }> = async (app, { geography, clock }) => {
  app.post(
    '/api/v1/geography/import',
    {
      // The schema allows 20,000 rows; the app-wide 1 MiB limit refused about 12,000 with 413.
      bodyLimit: GEOGRAPHY_IMPORT_BODY_LIMIT,
      schema: {
        tags: ['geography'],
        summary: 'Import towns, villages and groups from a JSON array or CSV (kind,code,name,parent_code,village_kind); re-importing changes nothing',
        description: `导入乡镇、村、村民小组（JSON 数组或 CSV，列 kind,code,name,parent_code,village_kind），最多 ${GEOGRAPHY_IMPORT_MAX_ROWS} 行、${GEOGRAPHY_IMPORT_BODY_LIMIT / 1_048_576} MiB；重复导入不改变任何内容。仅管理员。/ Import up to ${GEOGRAPHY_IMPORT_MAX_ROWS} rows (${GEOGRAPHY_IMPORT_BODY_LIMIT / 1_048_576} MiB); admin only.`,
        consumes: ['application/json', 'text/csv'],
        body: z.union([
          z.array(z.record(z.string(), z.unknown())).max(GEOGRAPHY_IMPORT_MAX_ROWS).describe('行（JSON）/ rows as JSON objects'),
          z.string().max(GEOGRAPHY_IMPORT_BODY_LIMIT).describe('CSV 文本 / CSV text'),
        ]),
        response: { 200: ImportReportSchema, ...problemResponses },
      },
    },
    async (request) => {
      const rows = typeof request.body === 'string' ? csvToRows(request.body).map(dropEmpty) : request.body;
      return geography.import(commandContext(request, clock), rows);
    },
  );
};
