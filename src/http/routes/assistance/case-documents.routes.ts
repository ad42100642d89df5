import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CaseDocumentsService } from '../../../application/assistance/documents/case-documents';
import type { Clock } from '../../../application/clock';
import { DocumentKindSchema } from '../../../domain/assistance/case-documents';
import { problemResponses } from '../../problem';
import { readerOf } from '../../route-helpers';

/** Printable documents of a case: print-ready HTML (A4), from the recorded events only. */
export const caseDocumentRoutes: FastifyPluginAsyncZod<{ documents: CaseDocumentsService; clock: Clock }> = async (app, { documents, clock }) => {
  const reader = readerOf(clock);
  app.get(
    '/api/v1/cases/:id/documents/:kind',
    {
      schema: {
        tags: ['assistance'],
        summary: 'A printable document of the case: 公示 notice (低保), 救助决定书 or 不予救助通知书, as A4 HTML',
        description:
          'Built from the recorded events only (the case stream, the decision with its facts and policy version, the household, village and town streams as of that event). ' +
          'Readable by whoever may read the case; names and reasons are masked as in the case itself (the 公示 shows the masked name the law allows). ' +
          '404: no such case, or the kind does not exist for its program; 409 document-not-available: the case has not reached it yet.',
        params: z.object({
          id: z.string().uuid().describe('案件 ID / case id'),
          kind: DocumentKindSchema.describe('文书类型：notice 公示、decision 救助决定书、refusal 不予救助通知书 / document kind'),
        }),
        response: { 200: z.string().describe('text/html; charset=utf-8 (print-ready, A4)'), ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('cache-control', 'no-store')
        .send(await documents.html(reader(request), request.params.id, request.params.kind)),
  );
};
