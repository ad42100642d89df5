import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../application/clock';
import { reportCsv } from '../../../application/reports/render-csv';
import { reportHtml } from '../../../application/reports/render-html';
import { reportXlsx } from '../../../application/reports/render-xlsx';
import type { ReportsService } from '../../../application/reports/reports.service';
import { ProgramSchema } from '../../../domain/assistance/case.events';
import type { ReportDocument } from '../../../domain/reports/report-document';
import { problemResponses } from '../../problem';
import { readerOf } from '../../route-helpers';

const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .describe('月份 / yyyy-mm');
const Day = z.iso.date();
const Format = z
  .enum(['csv', 'xlsx', 'html', 'json'])
  .default('json')
  .describe('格式：csv（UTF-8 带 BOM）、xlsx、可打印的 html（A4）或 json / csv (UTF-8 with BOM), xlsx, printable html (A4), or the document as json');
const Cell = z.union([z.string(), z.number(), z.null()]);
const ReportDocumentSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    meta: z.array(z.tuple([z.string(), z.string()])),
    sections: z.array(
      z.object({
        title: z.string(),
        columns: z.array(z.object({ key: z.string(), header: z.string(), type: z.enum(['text', 'int', 'fen', 'percent_bp']), width: z.number().optional() })),
        rows: z.array(z.record(z.string(), Cell)),
        totals: z.record(z.string(), Cell).nullable(),
      }),
    ),
    notes: z.array(z.string()),
    signatures: z.array(z.string()),
  })
  .meta({ id: 'ReportDocument' });
const responses = { 200: ReportDocumentSchema.or(z.string()).describe('money in json is integer fen; csv/xlsx/html show yuan'), ...problemResponses };

export interface ReportsRouteOptions {
  reports: ReportsService;
  clock: Clock;
}

/** One document, four renderings: the format changes the bytes, never a figure. */
async function send(reply: FastifyReply, doc: ReportDocument, format: 'csv' | 'xlsx' | 'html' | 'json') {
  const file = (ext: string) => `attachment; filename="${doc.name}.${ext}"; filename*=UTF-8''${encodeURIComponent(`${doc.title}.${ext}`)}`;
  // Names and amounts of beneficiaries: never cached by a browser or a proxy.
  reply.header('cache-control', 'no-store');
  switch (format) {
    case 'csv':
      return reply.type('text/csv; charset=utf-8').header('content-disposition', file('csv')).send(reportCsv(doc));
    case 'xlsx':
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', file('xlsx'))
        .send(await reportXlsx(doc));
    case 'html':
      return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(reportHtml(doc));
    case 'json':
      return reply.send(doc);
  }
}

export const reportsRoutes: FastifyPluginAsyncZod<ReportsRouteOptions> = async (app, { reports, clock }) => {
  const reader = readerOf(clock);
  app.get(
    '/api/v1/reports/payment-roll',
    {
      schema: {
        tags: ['reports'],
        summary: '发放花名册: the payment roll of a month per town and program (admin, bureau, auditor)',
        querystring: z.object({
          month: Month,
          town: z.string().uuid().optional(),
          program: ProgramSchema.optional(),
          asOf: Day.optional().describe(
            '统计截至此日记录的事件；默认为该月最后一天（或今天） / events recorded up to this day; default the month’s last day (or today)',
          ),
          format: Format,
        }),
        response: responses,
      },
    },
    async (request, reply) => {
      const { month, town, program, asOf, format } = request.query;
      return send(
        reply,
        await reports.paymentRoll(reader(request), { month, ...(town ? { townId: town } : {}), ...(program ? { program } : {}), ...(asOf ? { asOf } : {}) }),
        format,
      );
    },
  );
  app.get(
    '/api/v1/reports/monthly-statistics',
    {
      schema: {
        tags: ['reports'],
        summary: '社会救助统计月报: households, persons and spending by program, urban/rural, as of the month’s end',
        querystring: z.object({ month: Month, town: z.string().uuid().optional(), asOf: Day.optional(), format: Format }),
        response: responses,
      },
    },
    async (request, reply) => {
      const { month, town, asOf, format } = request.query;
      return send(reply, await reports.monthlyStatistics(reader(request), { month, ...(town ? { townId: town } : {}), ...(asOf ? { asOf } : {}) }), format);
    },
  );
  app.get(
    '/api/v1/reports/visit-completion',
    {
      schema: {
        tags: ['reports'],
        summary: '月末走访完成情况: monthly visits due vs done per village and worker, as of a day',
        querystring: z.object({ asOf: Day.optional().describe('默认为今天 / default today'), town: z.string().uuid().optional(), format: Format }),
        response: responses,
      },
    },
    async (request, reply) => {
      const { asOf, town, format } = request.query;
      return send(reply, await reports.visitCompletion(reader(request), { ...(asOf ? { asOf } : {}), ...(town ? { townId: town } : {}) }), format);
    },
  );
};
