import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../../../application/clock';
import type { DetectionServices } from '../../../application/detection/detection.module';
import { dataImportRoutes } from './data-imports.routes';
import { detectionPolicyRoutes } from './detection-policy.routes';
import { findingRoutes } from './findings.routes';
import { taskRoutes } from './tasks.routes';
import { registerUploadParsers } from './upload-body';
import { named } from '../../named-plugin';

export interface DetectionRoutesOptions {
  detection: DetectionServices;
  clock: Clock;
}

/**
 * All detection routes in one encapsulated plugin (registered without fastify-plugin on
 * purpose): the streaming CSV/NDJSON parsers it installs apply to these routes only.
 */
export const detectionRoutes: FastifyPluginAsync<DetectionRoutesOptions> = async (app, { detection, clock }) => {
  registerUploadParsers(app);
  await app.register(named(dataImportRoutes), { imports: detection.imports, clock });
  await app.register(named(findingRoutes), { findings: detection.findings, clock });
  await app.register(named(taskRoutes), { tasks: detection.tasks, clock });
  await app.register(named(detectionPolicyRoutes), { policy: detection.policy, clock });
};
