import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_TAGS, transformDocument, transformRoute } from './openapi';
import { vocabularyRoutes } from './routes/vocabularies.routes';
import type { CoverageService } from '../application/coverage/coverage.service';
import type { GeographyService } from '../application/geography/geography.service';
import type { HouseholdsService } from '../application/households/households.service';
import type { VisitsService } from '../application/visits/visits.service';
import type { AuditService } from '../application/assistance/audit.service';
import type { CasesService } from '../application/assistance/cases.service';
import type { PolicyRegistryService } from '../application/assistance/policy-registry.service';
import { auditRoutes } from './routes/assistance/audit.routes';
import { caseStepRoutes } from './routes/assistance/case-steps.routes';
import { caseRoutes } from './routes/assistance/cases.routes';
import { decisionRoutes } from './routes/assistance/decisions.routes';
import { policyRoutes } from './routes/assistance/policies.routes';
import type { AssistanceLawServices } from '../application/assistance/assistance-law.module';
import { assistanceLawRoutes } from './routes/assistance/assistance-law.routes';
import { caseDocumentRoutes } from './routes/assistance/case-documents.routes';
import { CaseDocumentsService } from '../application/assistance/documents/case-documents';
import type { CommunityService } from '../application/community/community.module';
import { communityRoutes } from './routes/community/community.routes';
import type { PerformanceService } from '../application/performance/performance.module';
import { performanceRoutes } from './routes/performance/performance.routes';
import type { DetectionServices } from '../application/detection/detection.module';
import { detectionRoutes } from './routes/detection/detection.routes';
import { reportsRoutes } from './routes/reports/reports.routes';
import type { ReportsService } from '../application/reports/reports.service';
import { reserveFundRoutes } from './routes/assistance/reserve-funds.routes';
import type { ReserveFundsService } from '../application/assistance/reserve-funds.service';
import type { StationsService } from '../application/stations/stations.service';
import type { WorkforceService } from '../application/workforce/workforce.service';
import { registerCsvBodies } from './csv';
import { registerErrorHandling } from './error-handler';
import authPlugin from './plugins/auth';
import idempotencyPlugin from './plugins/idempotency';
import { ReadModelJurisdictionResolver } from '../application/jurisdiction-resolver';
import { countyDate } from '../application/clock';
import accessLogPlugin from './plugins/access-log';
import callerLimitsPlugin from './plugins/caller-limits';
import edgeProtectionPlugin from './plugins/edge-protection';
import inputGuardsPlugin from './plugins/input-guards';
import roleGatePlugin from './plugins/role-gate';
import { requestIdOf } from './request-id';
import metricsPlugin from './plugins/metrics';
import type { AppDeps } from './route-deps';
import { coverageRoutes } from './routes/coverage/coverage.routes';
import { JsonCache } from './json-cache';
import { geographyRoutes } from './routes/geography/geography.routes';
import { townRoutes } from './routes/geography/towns.routes';
import { villageRoutes } from './routes/geography/villages.routes';
import { groupRoutes } from './routes/geography/groups.routes';
import { householdRoutes } from './routes/households/households.routes';
import { memberRoutes } from './routes/households/members.routes';
import { specialGroupRoutes } from './routes/households/special-groups.routes';
import { visitRoutes } from './routes/visits/visits.routes';
import { visitBatchRoutes } from './routes/visits/visit-batch.routes';
import { householdBatchRoutes } from './routes/households/household-batch.routes';
import { scheduleRoutes } from './routes/visits/schedule.routes';
import { schedulePolicyRoutes } from './routes/visits/schedule-policies.routes';
import { stationRoutes } from './routes/stations/stations.routes';
import { workforceRoutes } from './routes/workforce/workforce.routes';
import { trainingSessionRoutes } from './routes/workforce/training-sessions.routes';
import { mentoringPairRoutes } from './routes/workforce/mentoring-pairs.routes';
import { healthRoutes } from './routes/health.routes';
import { operationsRoutes } from './routes/operations.routes';
import { backupRoutes } from './routes/backup.routes';
import { privacyRoutes } from './routes/privacy/privacy.routes';
import type { Privacy } from '../application/privacy/privacy';
import type { AccessEntry } from '../application/privacy/access-log';
import type { LedgerService } from '../application/ledger/ledger.service';
import { ledgerRoutes } from './routes/ledger/ledger.routes';
import { auditRunsRoutes } from './routes/ledger/audit-runs.routes';
import type { AuditRuns } from '../application/ledger/audit-runs';
import { demoRoutes } from './routes/demo.routes';
import { signInRoutes } from './routes/sign-in.routes';
import { registerConsole } from './console';
import { refreshStatisticsAfterImports } from './bulk-write-statistics';
import { named } from './named-plugin';

export interface Services {
  geography: GeographyService;
  workforce: WorkforceService;
  stations: StationsService;
  coverage: CoverageService;
  households: HouseholdsService;
  visits: VisitsService;
  cases: CasesService;
  audit: AuditService;
  policyRegistry: PolicyRegistryService;
  community: CommunityService;
  performance: PerformanceService;
  detection: DetectionServices;
  /** Optional so that callers composing the app without it keep compiling. */
  privacy?: Privacy;
  /** Issue 19: submit/check, payments, officials, case-procedure policy, legacy-roll import. */
  assistanceLaw?: AssistanceLawServices;
  ledger: LedgerService;
  /** Issue 20: audit runs as resources (POST starts, GET shows progress); optional for older composers. */
  auditRuns?: AuditRuns;
  reports: ReportsService;
  reserveFunds: ReserveFundsService;
}

/** Builds the HTTP app from its dependencies. Listening is the caller's business. */
export async function buildApp(deps: AppDeps, services: Services): Promise<FastifyInstance> {
  // Fastify's own logger type, so the app is FastifyInstance with its default logger (what the plugins take).
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // x-request-id is read by requestIdOf, which keeps it only if short and well-formed.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // The access-log plugin writes one line per request, naming the actor.
    logController: new LogController({ disableRequestLogging: true }),
    // fastify accepts a hop count at run time; its types omit it.
    trustProxy: deps.config.TRUST_PROXY as boolean | string[],
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  // First, so every hook and handler after it is traced.
  if (deps.tracing) await app.register(deps.tracing.plugin);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerCsvBodies(app);
  await app.register(inputGuardsPlugin);
  await app.register(edgeProtectionPlugin, {
    corsOrigins: deps.config.CORS_ORIGINS,
    perIp: deps.config.RATE_LIMIT_PER_IP,
    // The console reads the provider's discovery document and redeems its code from the browser.
    connectOrigins: deps.config.OIDC_ISSUER ? [new URL(deps.config.OIDC_ISSUER).origin] : [],
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '社工站个案管理 / Social-work stations case management',
        description: [
          '县级社工站的事件溯源个案管理服务。/ Event-sourced case management for county social-work stations.',
          '令牌：Authorization: Bearer <JWT>，声明 sub 与 role；社工与审批人员令牌的 sub 须为其 workerId / officialId，否则答复 403（unknown-worker）。/ Tokens carry sub and role; a worker token’s sub is the worker id.',
          '错误：application/problem+json（RFC 9457），按 type 判断；title 按 Accept-Language 为中文（默认）或英文。/ Errors are problem+json; switch on type.',
          '代码：输入输出使用稳定的英文代码，中文名称见 GET /api/v1/vocabularies 与各枚举的 x-enum-descriptions。/ Codes are stable; labels come from /api/v1/vocabularies.',
          '限流：超过每个地址或每个令牌的频率限制时答复 429 并给出 Retry-After（不发送 RateLimit-* 头）。/ Rate limits answer 429 with Retry-After.',
        ].join('\n\n'),
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
      tags: [...API_TAGS],
    },
    transform: transformRoute,
    transformObject: transformDocument,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });

  await app.register(authPlugin, {
    ...(deps.config.JWT_SECRET ? { secret: deps.config.JWT_SECRET } : {}),
    ...(deps.config.JWT_PUBLIC_KEY ? { publicKey: deps.config.JWT_PUBLIC_KEY } : {}),
    ...(deps.config.JWKS_URL ? { jwksUrl: deps.config.JWKS_URL } : {}),
    ...(deps.config.OIDC_ISSUER ? { discoveryIssuer: deps.config.OIDC_ISSUER } : {}),
    ...(deps.config.JWT_ISSUER ? { issuer: deps.config.JWT_ISSUER } : {}),
    ...(deps.config.JWT_AUDIENCE ? { audience: deps.config.JWT_AUDIENCE } : {}),
    maxLifetimeSeconds: deps.config.JWT_MAX_LIFETIME_SECONDS,
    clockToleranceSeconds: deps.config.JWT_CLOCK_TOLERANCE_SECONDS,
  });
  if (deps.metrics) await app.register(metricsPlugin, { metrics: deps.metrics, access: deps.config.METRICS_ACCESS, token: deps.config.METRICS_TOKEN });
  await app.register(roleGatePlugin);
  await app.register(callerLimitsPlugin, { perSub: deps.config.RATE_LIMIT_PER_SUB, heavyPerSub: deps.config.RATE_LIMIT_HEAVY_PER_SUB });
  const jurisdictions = new ReadModelJurisdictionResolver(deps.database.db);
  await app.register(idempotencyPlugin, {
    db: deps.database.db,
    ttlHours: deps.config.IDEMPOTENCY_TTL_HOURS,
    jurisdictionOf: (actor) => jurisdictions.resolve(actor, countyDate(deps.clock.now())),
  });
  await app.register(accessLogPlugin);
  refreshStatisticsAfterImports(app, deps.projections.statistics);

  // Serialized answers of the reads that are the same until the log moves (coverage, scores, the schedule).
  const responseCache = new JsonCache(deps.database.db);
  await app.register(named(healthRoutes), { deps });
  await app.register(named(vocabularyRoutes));
  await app.register(named(operationsRoutes), { deps });
  await app.register(named(backupRoutes), { deps });
  await app.register(named(geographyRoutes), { geography: services.geography, clock: deps.clock });
  await app.register(named(townRoutes), { geography: services.geography, clock: deps.clock });
  await app.register(named(villageRoutes), { geography: services.geography, clock: deps.clock });
  await app.register(named(groupRoutes), { geography: services.geography, clock: deps.clock });
  await app.register(named(workforceRoutes), { workforce: services.workforce, clock: deps.clock });
  await app.register(named(trainingSessionRoutes), { workforce: services.workforce, clock: deps.clock });
  await app.register(named(mentoringPairRoutes), { workforce: services.workforce, clock: deps.clock });
  await app.register(named(stationRoutes), { stations: services.stations, clock: deps.clock });
  await app.register(named(coverageRoutes), { coverage: services.coverage, clock: deps.clock, cache: responseCache });
  // Household pages hold personal data: a cache of their own, smaller, so searches by many names
  // never push the county's boards out of the one above.
  const householdCache = new JsonCache<AccessEntry[]>(deps.database.db, 16 * 1024 * 1024);
  await app.register(named(householdRoutes), { households: services.households, clock: deps.clock, cache: householdCache });
  await app.register(named(householdBatchRoutes), { households: services.households, clock: deps.clock });
  await app.register(named(memberRoutes), { households: services.households, clock: deps.clock });
  await app.register(named(specialGroupRoutes), { households: services.households, clock: deps.clock });
  await app.register(named(visitRoutes), { visits: services.visits, clock: deps.clock });
  await app.register(named(visitBatchRoutes), { visits: services.visits, clock: deps.clock });
  await app.register(named(scheduleRoutes), { visits: services.visits, clock: deps.clock, cache: responseCache });
  await app.register(named(schedulePolicyRoutes), { visits: services.visits, clock: deps.clock });
  await app.register(named(communityRoutes), { community: services.community, clock: deps.clock, cache: responseCache });
  await app.register(named(performanceRoutes), { performance: services.performance, clock: deps.clock, cache: responseCache });
  await app.register(named(detectionRoutes), { detection: services.detection, clock: deps.clock });
  await app.register(named(policyRoutes), { registry: services.policyRegistry, clock: deps.clock });
  await app.register(named(caseRoutes), { cases: services.cases, clock: deps.clock });
  await app.register(named(caseStepRoutes), { cases: services.cases, clock: deps.clock });
  await app.register(named(decisionRoutes), { audit: services.audit, clock: deps.clock });
  await app.register(named(auditRoutes), { audit: services.audit, clock: deps.clock });
  if (services.privacy) await app.register(named(privacyRoutes), { privacy: services.privacy, clock: deps.clock });
  await app.register(named(caseDocumentRoutes), {
    documents: new CaseDocumentsService(services.cases, deps.store, jurisdictions, services.privacy, deps.config.BUREAU_NAME),
    clock: deps.clock,
  });
  if (services.assistanceLaw) await app.register(named(assistanceLawRoutes), { law: services.assistanceLaw, clock: deps.clock });
  await app.register(named(ledgerRoutes), { ledger: services.ledger });
  if (services.auditRuns) await app.register(named(auditRunsRoutes), { runs: services.auditRuns });
  await app.register(named(reportsRoutes), { reports: services.reports, clock: deps.clock });
  await app.register(named(reserveFundRoutes), { reserveFunds: services.reserveFunds, clock: deps.clock });
  // Outside demo mode its one route answers 404, to callers with or without a token.
  await app.register(named(demoRoutes), { demo: deps.demo ?? null });
  await app.register(named(signInRoutes), { config: deps.config, demo: Boolean(deps.demo) });
  // Last: its `/*` fallback serves the console for any path the service does not answer itself.
  await registerConsole(app, deps.config.CONSOLE_DIR);
  return app;
}
