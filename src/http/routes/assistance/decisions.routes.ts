import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditService } from '../../../application/assistance/audit.service';
import { DECISION_EXPORT_COLUMNS, decisionExportRow } from '../../../application/assistance/decision-export';
import type { Clock } from '../../../application/clock';
import { csvHeader, csvRow } from '../../../application/csv-writer';
import { compiledSerializerCompiler } from '../../compiled-serializer';
import { problemResponses } from '../../problem';
import { readerOf } from '../../route-helpers';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import { OpenObject } from './assistance.schemas';
import { DecisionExportQuery, DecisionQuery, DecisionSummarySchema, decisionFilterOf } from './decisions.schemas';

/** Eligibility decisions: the list, one decision with its reasons, and the export of a range. */
export const decisionRoutes: FastifyPluginAsyncZod<{ audit: AuditService; clock: Clock }> = async (app, { audit, clock }) => {
  const reader = readerOf(clock);

  app.get(
    '/api/v1/decisions',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every eligibility decision, with filters: a row each (the whole decision is GET /decisions/{id})',
        querystring: PageQuerySchema.merge(DecisionQuery),
        response: { 200: pageOf(DecisionSummarySchema), ...problemResponses },
      },
      // 50 rows of uuids and amounts: the zod parse of the answer (a uuid pattern per id) and its
      // garbage were most of the read's CPU in the service (BENCHMARKS.md, session 19).
      serializerCompiler: compiledSerializerCompiler,
    },
    async (request) => audit.list(reader(request), decisionFilterOf(request.query), { limit: request.query.limit, cursor: request.query.cursor }),
  );
  app.get(
    '/api/v1/decisions/export',
    {
      schema: {
        tags: ['audit'],
        summary: 'Export decisions of a range as CSV or JSON Lines',
        querystring: DecisionExportQuery,
        response: { 200: z.string().describe('text/csv or application/x-ndjson, streamed'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { format, lang, ...q } = request.query;
      const rows = audit.export(reader(request), decisionFilterOf(q));
      async function* lines() {
        if (format === 'csv') yield csvHeader(DECISION_EXPORT_COLUMNS, lang);
        for await (const d of rows) {
          if (format === 'jsonl') yield JSON.stringify(d) + '\n';
          else yield csvRow(DECISION_EXPORT_COLUMNS, decisionExportRow(d), { lang });
        }
      }
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="decisions.${format === 'csv' ? 'csv' : 'jsonl'}"`)
        .send(Readable.from(lines()) as never);
    },
  );
  app.get(
    '/api/v1/decisions/:id',
    {
      schema: {
        tags: ['audit'],
        summary: 'One decision: facts, policy version and hash, every rule with its reason, amount, who, evidence',
        params: IdParamsSchema,
        response: { 200: OpenObject, ...problemResponses },
      },
    },
    async (request) => audit.get(reader(request), request.params.id),
  );
};
