import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import type { GeographyService } from '../../../application/geography/geography.service';
import { commandContext } from '../../command-context';
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
        summary: 'Import towns, villages and groups from a JSON array, CSV or xlsx (kind,code,name,parent_code,village_kind); re-importing changes nothing',
        description: `导入乡镇、村、村民小组（JSON 数组、CSV 或 xlsx，列 kind,code,name,parent_code,village_kind），最多 ${GEOGRAPHY_IMPORT_MAX_ROWS} 行、${GEOGRAPHY_IMPORT_BODY_LIMIT / 1_048_576} MiB；CSV 可为 UTF-8（带或不带 BOM）、UTF-16（带 BOM）或 GB18030/GBK（Excel、WPS 的保存格式），xlsx 读第一个工作表，无法识别的编码拒绝（400 unreadable-file）；重复导入不改变任何内容。仅管理员。/ Import up to ${GEOGRAPHY_IMPORT_MAX_ROWS} rows (${GEOGRAPHY_IMPORT_BODY_LIMIT / 1_048_576} MiB) as JSON, CSV (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK) or xlsx (first sheet); other encodings are refused (400 unreadable-file); admin only.`,
        consumes: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        // CSV and xlsx bodies reach the route as rows: the app's content-type parsers decode them.
        body: z
          .array(z.record(z.string(), z.unknown()))
          .max(GEOGRAPHY_IMPORT_MAX_ROWS)
          .describe('行（JSON，或由 CSV/xlsx 解析而来）/ rows (JSON, or parsed from CSV/xlsx)'),
        response: { 200: ImportReportSchema, ...problemResponses },
      },
    },
    async (request) => {
      return geography.import(commandContext(request, clock), request.body);
    },
  );
};
