import type { Clock } from '../clock';
import { SYSTEM_ACTOR } from '../actor';
import type { CommandHandler } from '../command-handler';
import { deterministicUuid } from '../ids';
import { builtinMetricSources } from './builtin-metric-sources';
import type { MetricSource } from './metric-source';
import { PerformanceService } from './performance.service';
import type { Db } from '../db';

/**
 * Worker performance (issue 6), as one module the composition root wires: the service and the
 * seed of the default scoring policy (the projection is in src/projections, the routes in
 * src/http). Other modules add task-completion metrics by passing more `MetricSource`s.
 */
export { PerformanceService, builtinMetricSources };
export type { MetricSource };

export function createPerformanceService(commands: CommandHandler, db: Db, extraSources: readonly MetricSource[] = []): PerformanceService {
  return new PerformanceService(commands, db, [...builtinMetricSources, ...extraSources]);
}

/** policies/scoring-policy.default.json becomes version 1 on first start (idempotent). */
export function seedDefaultScoringPolicy(service: PerformanceService, clock: Clock): Promise<void> {
  return service.seedDefaultPolicy({ actor: SYSTEM_ACTOR, commandId: deterministicUuid('seed:scoring-policy:1'), correlationId: 'startup', now: clock.now() });
}
