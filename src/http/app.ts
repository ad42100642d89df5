import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { CoverageService } from '../application/coverage/coverage.service';
import type { GeographyService } from '../application/geography/geography.service';
import type { HouseholdsService } from '../application/households/households.service';
import type { AuditService } from '../application/assistance/audit.service';
import type { CasesService } from '../application/assistance/cases.service';
import type { PolicyRegistryService } from '../application/assistance/policy-registry.service';
import { assistanceRoutes } from './routes/assistance/assistance.routes';
import type { CommunityService } from '../application/community/community.module';
import { communityRoutes } from './routes/community/community.routes';
import type { PerformanceService } from '../application/performance/performance.module';
import { performanceRoutes } from './routes/performance/performance.routes';
import type { DetectionServices } from '../application/detection/detection.module';
import { detectionRoutes } from './routes/detection/detection.routes';
import { reportsRoutes } from './routes/reports/reports.routes';
import type { ReportsService } from '../application/reports/reports.service';
import { reserveFundRoutes } from './routes/reserve-funds/reserve-funds.routes';
import type { ReserveFundsService } from '../application/assistance/reserve-funds.service';
import type { StationsService } from '../application/stations/stations.service';
import type { WorkforceService } from '../application/workforce/workforce.service';
import { registerCsvBodies } from './csv';
import { registerErrorHandling } from './error-handler';
import authPlugin from './plugins/auth';
import idempotencyPlugin from './plugins/idempotency';
import metricsPlugin from './plugins/metrics';
import type { AppDeps } from './route-deps';
import { coverageRoutes } from './routes/coverage.routes';
import { geographyRoutes } from './routes/geography/geography.routes';
import { householdRoutes } from './routes/households/households.routes';
import { stationRoutes } from './routes/stations/stations.routes';
import { workforceRoutes } from './routes/workforce/workforce.routes';
import { healthRoutes } from './routes/health.routes';
import { operationsRoutes } from './routes/operations.routes';
import { privacyRoutes } from './routes/privacy/privacy.routes';
import type { Privacy } from '../application/privacy/privacy';
import type { LedgerService } from '../application/ledger/ledger.service';
import { ledgerRoutes } from './routes/audit/ledger.routes';

export interface Services {
  geography: GeographyService;
  workforce: WorkforceService;
  stations: StationsService;
  coverage: CoverageService;
  households: HouseholdsService;
  cases: CasesService;
  audit: AuditService;
  policyRegistry: PolicyRegistryService;
  community: CommunityService;
  performance: PerformanceService;
  detection: DetectionServices;
  /** Optional so that callers composing the app without it keep compiling. */
  privacy?: Privacy;
  ledger: LedgerService;
  reports: ReportsService;
  reserveFunds: ReserveFundsService;
}

/** Builds the HTTP app from its dependencies. Listening is the caller's business. */
export async function buildApp(deps: AppDeps, services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  // First, so every hook and handler after it is traced.
  if (deps.tracing) await app.register(deps.tracing.plugin);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerCsvBodies(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Social-work stations case management',
        description: 'Event-sourced case management for county social-work stations. Errors are application/problem+json (RFC 9457).',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });

  await app.register(authPlugin, {
    ...(deps.config.JWT_SECRET ? { secret: deps.config.JWT_SECRET } : {}),
    ...(deps.config.JWT_PUBLIC_KEY ? { publicKey: deps.config.JWT_PUBLIC_KEY } : {}),
    ...(deps.config.JWKS_URL ? { jwksUrl: deps.config.JWKS_URL } : {}),
    ...(deps.config.JWT_ISSUER ? { issuer: deps.config.JWT_ISSUER } : {}),
    ...(deps.config.JWT_AUDIENCE ? { audience: deps.config.JWT_AUDIENCE } : {}),
  });
  if (deps.metrics) await app.register(metricsPlugin, { metrics: deps.metrics, access: deps.config.METRICS_ACCESS, token: deps.config.METRICS_TOKEN });
  await app.register(idempotencyPlugin, { db: deps.database.db });

  await app.register(healthRoutes, { deps });
  await app.register(operationsRoutes, { deps });
  await app.register(geographyRoutes, { geography: services.geography, clock: deps.clock });
  await app.register(workforceRoutes, { workforce: services.workforce, clock: deps.clock });
  await app.register(stationRoutes, { stations: services.stations, clock: deps.clock });
  await app.register(coverageRoutes, { coverage: services.coverage, clock: deps.clock });
  await app.register(householdRoutes, { households: services.households, clock: deps.clock });
  await app.register(communityRoutes, { community: services.community, clock: deps.clock });
  await app.register(performanceRoutes, { performance: services.performance, clock: deps.clock });
  await app.register(detectionRoutes, { detection: services.detection, clock: deps.clock });
  await app.register(assistanceRoutes, { cases: services.cases, audit: services.audit, registry: services.policyRegistry, clock: deps.clock });
  if (services.privacy) await app.register(privacyRoutes, { privacy: services.privacy, clock: deps.clock });
  await app.register(ledgerRoutes, { ledger: services.ledger });
  await app.register(reportsRoutes, { reports: services.reports, clock: deps.clock });
  await app.register(reserveFundRoutes, { reserveFunds: services.reserveFunds, clock: deps.clock });
  return app;
}
