import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditService } from '../../../application/assistance/audit.service';
import type { CasesService } from '../../../application/assistance/cases.service';
import type { PolicyRegistryService } from '../../../application/assistance/policy-registry.service';
import type { Clock } from '../../../application/clock';
import { DataCheckSourceSchema, ProgramSchema } from '../../../domain/assistance/case.events';
import { csvHeader, csvRow } from '../../../application/csv-writer';
import { DECISION_EXPORT_COLUMNS, decisionExportRow } from '../../../application/assistance/decision-export';
import { CsvLangSchema } from '../../csv';
import { commandContext } from '../../command-context';
import { problemResponses } from '../../problem';
import { IdParamsSchema, PageQuerySchema, pageOf } from '../../schemas';
import { readerOf, sendVersioned } from '../../route-helpers';

const Day = z.iso.date();
const Uuid = z.string().uuid();
const Any = z.record(z.string(), z.unknown());
export const CaseSchema = z
  .object({
    id: Uuid.describe('案件 ID / case id'),
    program: z.string().describe('救助项目代码，见代码表 program（dibao=低保 …）/ programme code'),
    householdId: Uuid.describe('家庭 ID / household'),
    applicantPersonId: Uuid.describe('申请人（家庭成员）ID / the applicant'),
    groupId: Uuid.describe('村民小组 ID / villager group'),
    villageId: Uuid.describe('村 ID / village'),
    townId: Uuid.describe('乡镇 ID / town'),
    channel: z.string().describe('申请渠道代码，见代码表 application_channel / channel'),
    status: z.string().describe('案件所处环节 / the step the case is at'),
    relativeOf: z.unknown().describe('申请人为工作人员或村干部近亲属时的说明，否则为 null / relative of a worker or cadre, or null'),
    startedByWorkerId: Uuid.nullable().describe('主动发现并发起的社工 ID / the worker who started it, or null'),
    appliedOn: z.string().describe('申请日期 / applied on'),
    acceptedOn: z.string().nullable().describe('受理日期 / accepted on, or null'),
    dueDates: z.record(z.string(), z.string().nullable()).describe('各环节的法定期限 / statutory due dates per step'),
    overdue: z.array(z.string()).describe('已逾期的环节 / steps past their due date'),
    paymentInForce: z
      .object({
        monthlyFen: z.number().describe('每月金额（分）/ monthly amount in fen'),
        from: z.string().describe('起始月份 / from'),
        to: z.string().nullable().describe('终止月份，无则为 null / to, or null'),
      })
      .nullable()
      .describe('生效的按月救助，无则为 null / the monthly payment in force, or null'),
    paidFen: z.number().int().describe('累计已发放（分）/ paid so far, in fen'),
    migrated: z
      .object({
        importId: z.string().describe('存量导入 ID / legacy import'),
        fileSha256: z.string().describe('导入文件的 SHA-256 / hash of the file'),
        row: z.number().int().describe('文件中的行号 / row of the file'),
        reason: z.string().describe('导入理由 / reason'),
      })
      .nullable()
      .describe('由存量花名册导入时的来源，否则为 null / where a migrated case came from, or null'),
    lastReturn: z
      .object({ on: z.string().describe('退回日期 / returned on'), reasons: z.string().describe('退回理由 / reasons') })
      .nullable()
      .describe('最近一次退回，无则为 null / the last return, or null'),
    version: z.number().int().describe('版本号，即 ETag，修改时放入 If-Match / version; send it as If-Match'),
  })
  .meta({ id: 'AssistanceCase' });
const Reasons = z.object({ writtenReasons: z.string().max(5000).optional() });

export interface AssistanceRouteOptions {
  cases: CasesService;
  audit: AuditService;
  registry: PolicyRegistryService;
  clock: Clock;
}

export const assistanceRoutes: FastifyPluginAsyncZod<AssistanceRouteOptions> = async (app, { cases, audit, registry, clock }) => {
  const reader = readerOf(clock);

  // ── Policies and calendars ─────────────────────────────────────────────────
  app.post(
    '/api/v1/policies',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Add an assistance policy version with an effective date (admin; immutable)',
        body: Any,
        response: { 201: Any, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await registry.addPolicy(commandContext(request, clock), request.body)),
  );
  app.get(
    '/api/v1/policies',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Policy versions with their content hash',
        querystring: z.object({
          county: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: { 200: z.object({ items: z.array(Any) }), ...problemResponses },
      },
    },
    async (request) => ({ items: await registry.listPolicies(request.query.county) }),
  );
  app.post(
    '/api/v1/calendars',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Add a working-day calendar (holidays, 调休 working weekend days; admin; immutable)',
        body: Any,
        response: { 201: Any, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await registry.addCalendar(commandContext(request, clock), request.body)),
  );
  app.get(
    '/api/v1/calendars',
    { schema: { tags: ['assistance'], summary: 'Working-day calendars', response: { 200: z.object({ items: z.array(Any) }), ...problemResponses } } },
    async () => ({ items: await registry.listCalendars() }),
  );

  // ── Cases ──────────────────────────────────────────────────────────────────
  app.post(
    '/api/v1/cases',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Apply: by the household, or started by a worker (proactive, emergency)',
        body: z.object({
          program: ProgramSchema,
          householdId: Uuid,
          applicantPersonId: Uuid,
          channel: z.enum(['self', 'proactive', 'emergency']),
          trigger: z
            .object({ kind: z.enum(['visit', 'finding']), id: z.string().min(1).max(100) })
            .nullable()
            .optional(),
          relativeOf: z
            .object({
              kind: z.enum(['social_worker', 'village_cadre']),
              workerId: Uuid.nullable().optional(),
              name: z.string().min(1).max(50),
              relation: z.string().min(1).max(50),
            })
            .nullable()
            .optional(),
          appliedOn: Day.optional(),
        }),
        response: { 201: CaseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const c = await cases.apply(commandContext(request, clock), request.body);
      reply.header('location', `/api/v1/cases/${c.id}`);
      return sendVersioned(reply, c, 201);
    },
  );
  app.get(
    '/api/v1/cases',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Cases; ?overdue=true lists those past a deadline (computed today)',
        querystring: PageQuerySchema.extend({
          program: ProgramSchema.optional(),
          status: z.string().max(30).optional(),
          town: Uuid.optional(),
          village: Uuid.optional(),
          household: Uuid.optional(),
          overdue: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: pageOf(CaseSchema), ...problemResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return cases.list(
        reader(request),
        {
          ...(q.program ? { program: q.program } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.town ? { townId: q.town } : {}),
          ...(q.village ? { villageId: q.village } : {}),
          ...(q.household ? { householdId: q.household } : {}),
          overdueOnly: q.overdue === 'true',
        },
        { limit: q.limit, cursor: q.cursor },
      );
    },
  );
  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        tags: ['assistance'],
        summary: 'One case with its due dates and what is overdue',
        params: IdParamsSchema,
        response: { 200: CaseSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendVersioned(reply, await cases.get(reader(request), request.params.id)),
  );
  app.get(
    '/api/v1/cases/:id/history',
    {
      schema: {
        tags: ['assistance', 'audit'],
        summary: 'The case as it stood at a moment (?asOf=ISO instant), with the events that made it',
        params: IdParamsSchema,
        querystring: z.object({ asOf: z.string().datetime().optional() }),
        response: { 200: Any, ...problemResponses },
      },
    },
    async (request) => cases.history(reader(request), request.params.id, request.query.asOf),
  );
  app.get(
    '/api/v1/cases/:id/notice',
    {
      schema: {
        tags: ['assistance'],
        summary: 'The public notice list (names and ID numbers masked)',
        params: IdParamsSchema,
        response: { 200: Any, ...problemResponses },
      },
    },
    async (request) => cases.noticeList(reader(request), request.params.id),
  );

  const step = <B extends z.ZodType>(path: string, summary: string, body: B, run: (request: any, body: z.infer<B>) => Promise<any>) =>
    app.post(
      `/api/v1/cases/:id/${path}`,
      { schema: { tags: ['assistance'], summary, params: IdParamsSchema, body, response: { 200: CaseSchema, ...problemResponses } } },
      async (request, reply) => sendVersioned(reply, await run(request, request.body as z.infer<B>)),
    );
  const ctx = (request: FastifyRequest) => commandContext(request, clock);
  step('accept', 'Accept the application (town)', z.object({ acceptedOn: Day.optional() }), (r, b) => cases.accept(ctx(r), r.params.id, b.acceptedOn));
  step('extend-review', 'Extend the review deadline (40 working days) with a reason', z.object({ reason: z.string().trim().min(1).max(1000) }), (r, b) =>
    cases.extend(ctx(r), r.params.id, b.reason),
  );
  step('facts', "Record the household's economic facts (the program's facts schema)", z.object({ facts: Any }), (r, b) =>
    cases.recordFacts(ctx(r), r.params.id, b.facts),
  );
  step(
    'home-investigations',
    'Record a home investigation by at least two workers (county-level when a county worker took part)',
    z.object({ investigatorIds: z.array(Uuid).min(2).max(10), on: Day, findings: z.string().max(5000).default('') }),
    (r, b) => cases.recordHomeInvestigation(ctx(r), r.params.id, b),
  );
  step(
    'neighbour-interviews',
    'Record a neighbour interview',
    z.object({ on: Day, interviewee: z.string().trim().min(1).max(100), summary: z.string().max(5000).default('') }),
    (r, b) => cases.recordInterview(ctx(r), r.params.id, b),
  );
  step(
    'data-checks',
    "Record an information check against another department's data",
    z.object({
      source: DataCheckSourceSchema,
      checkedOn: Day,
      result: z.string().trim().min(1).max(2000),
      discrepancy: z.boolean().default(false),
    }),
    (r, b) => cases.recordDataCheck(ctx(r), r.params.id, b),
  );
  step('notice', 'Post the public notice in the village for the policy period', z.object({ postedOn: Day.optional() }), (r, b) =>
    cases.postNotice(ctx(r), r.params.id, b.postedOn),
  );
  step(
    'objections',
    'Record an objection: back to investigation, then a new notice',
    z.object({ on: Day, summary: z.string().trim().min(1).max(5000) }),
    (r, b) => cases.recordObjection(ctx(r), r.params.id, b),
  );
  step('decision', 'Decide: the rules run on the recorded facts under the policy in force today', Reasons, (r, b) => cases.decide(ctx(r), r.params.id, b));
  step('emergency-grant', 'Assistance first (先行救助): grant an emergency temporary case now, paperwork after', Reasons.extend({ facts: Any }), (r, b) =>
    cases.grantEmergency(ctx(r), r.params.id, b),
  );
  step('emergency-completion', "Complete an emergency case's paperwork", Reasons, (r, b) => cases.completeEmergency(ctx(r), r.params.id, b));
  step('review', 'Dynamic review (动态复核): continue, adjust or stop (应退尽退)', Reasons, (r, b) => cases.review(ctx(r), r.params.id, b));
  step('refusal-notice', 'Record that the written refusal was delivered', z.object({ on: Day.optional() }), (r, b) =>
    cases.notifyRefusal(ctx(r), r.params.id, b.on),
  );

  // ── Decisions and audit ────────────────────────────────────────────────────
  const DecisionQuery = z.object({
    program: ProgramSchema.optional(),
    town: Uuid.optional(),
    village: Uuid.optional(),
    outcome: z.enum(['granted', 'denied', 'continued', 'adjusted', 'stopped']).optional(),
    decidedBy: z.string().max(100).optional(),
    from: Day.optional(),
    to: Day.optional(),
    case: Uuid.optional(),
  });
  const toFilter = (q: z.infer<typeof DecisionQuery>) => ({
    ...(q.program ? { program: q.program } : {}),
    ...(q.town ? { townId: q.town } : {}),
    ...(q.village ? { villageId: q.village } : {}),
    ...(q.outcome ? { outcome: q.outcome } : {}),
    ...(q.decidedBy ? { decidedBy: q.decidedBy } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.case ? { caseId: q.case } : {}),
  });
  app.get(
    '/api/v1/decisions',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every eligibility decision, with filters',
        querystring: PageQuerySchema.merge(DecisionQuery),
        response: { 200: pageOf(Any), ...problemResponses },
      },
    },
    async (request) => audit.list(reader(request), toFilter(request.query), { limit: request.query.limit, cursor: request.query.cursor }),
  );
  app.get(
    '/api/v1/decisions/export',
    {
      schema: {
        tags: ['audit'],
        summary: 'Export decisions of a range as CSV or JSON Lines',
        querystring: DecisionQuery.extend({ format: z.enum(['csv', 'jsonl']).default('jsonl'), lang: CsvLangSchema }),
        response: { 200: z.string().describe('text/csv or application/x-ndjson, streamed'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { format, lang, ...q } = request.query;
      const rows = audit.export(reader(request), toFilter(q));
      async function* lines() {
        if (format === 'csv') yield csvHeader(DECISION_EXPORT_COLUMNS, lang);
        for await (const d of rows as AsyncIterable<any>) {
          if (format === 'jsonl') yield JSON.stringify(d) + '\n';
          else yield csvRow(DECISION_EXPORT_COLUMNS, decisionExportRow(d), { lang });
        }
      }
      const { Readable } = await import('node:stream');
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
        response: { 200: Any, ...problemResponses },
      },
    },
    async (request) => audit.get(reader(request), request.params.id),
  );
  app.post(
    '/api/v1/audit/replay',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Re-run every decision (or those in a range) against its recorded facts and policy version, count decisions from the case streams, and verify the hash chains and MACs (auditor)',
        // No body, or {}, replays everything.
        body: z
          .object({ from: Day.optional(), to: Day.optional() })
          .refine((r) => !r.from || !r.to || r.from <= r.to, { message: 'from 不能晚于 to', path: ['to'] })
          .nullish(),
        response: { 200: Any, ...problemResponses },
      },
    },
    async (request) => audit.replay(reader(request), request.body ?? {}),
  );
  app.get(
    '/api/v1/assistance/monthly',
    {
      schema: {
        tags: ['assistance'],
        summary: 'Assistance actions per month, program and town',
        querystring: z.object({ from: z.string().regex(/^\d{4}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}$/) }),
        response: { 200: z.object({ items: z.array(Any) }), ...problemResponses },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const last = new Date(Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)), 0)).toISOString().slice(0, 10);
      return { items: await audit.counts(reader(request), `${from}-01`, last) };
    },
  );
};
