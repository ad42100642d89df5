import type { Kysely } from 'kysely';
import { performanceProjection } from '../../projections/performance/performance.projection';
import { performanceRoutes, type PerformanceRoutesOptions } from '../../http/routes/performance/performance.routes';
import type { Clock } from '../clock';
import { SYSTEM_ACTOR } from '../actor';
import type { CommandHandler } from '../command-handler';
import { deterministicUuid } from '../ids';
import { builtinMetricSources } from './builtin-metric-sources';
import type { MetricSource } from './metric-source';
import { PerformanceService } from './performance.service';

/**
 * Worker performance (issue 6), as one module the composition root wires: the projection,
 * the service, the seed of the default scoring policy, and the routes. Other modules add
 * task-completion metrics by passing more `MetricSource`s to the factory.
 */
export { performanceProjection, performanceRoutes, PerformanceService, builtinMetricSources };
export type { PerformanceRoutesOptions, MetricSource };

export const performanceProjections = [performanceProjection];

export function createPerformanceService(commands: CommandHandler, db: Kysely<any>, extraSources: readonly MetricSource[] = []): PerformanceService {
  return new PerformanceService(commands, db, [...builtinMetricSources, ...extraSources]);
}

/** policies/scoring-policy.default.json becomes version 1 on first start (idempotent). */
export function seedDefaultScoringPolicy(service: PerformanceService, clock: Clock): Promise<void> {
  return service.seedDefaultPolicy({ actor: SYSTEM_ACTOR, commandId: deterministicUuid('seed:scoring-policy:1'), correlationId: 'startup', now: clock.now() });
}
