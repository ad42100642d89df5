import type { PersonIndex } from '../privacy/person-index';
import type { Privacy } from '../privacy/privacy';
import type { CommandHandler } from '../command-handler';
import type { JurisdictionResolver } from '../jurisdiction';
import { DataImportService } from './data-import.service';
import { DetectionAccess } from './detection-access';
import { DetectionPolicyService } from './detection-policy.service';
import { FindingsService } from './findings.service';
import { TasksService } from './tasks.service';
import type { Db } from '../db';

/**
 * Proactive detection (大数据比对), as one module the composition root wires: the services
 * (the projection is in src/projections, the routes in src/http/routes/detection; the
 * application layer never imports HTTP code).
 */

export interface DetectionServices {
  policy: DetectionPolicyService;
  imports: DataImportService;
  findings: FindingsService;
  tasks: TasksService;
}

export function createDetectionServices(deps: {
  commands: CommandHandler;
  db: Db;
  jurisdictions: JurisdictionResolver;
  persons: PersonIndex;
  privacy?: Privacy;
}): DetectionServices {
  const policy = new DetectionPolicyService(deps.commands, deps.db);
  const access = new DetectionAccess(deps.jurisdictions);
  return {
    policy,
    imports: new DataImportService(deps.commands, deps.db, policy, deps.persons),
    findings: new FindingsService(deps.commands, deps.db, access, deps.privacy),
    tasks: new TasksService(deps.commands, deps.db, access),
  };
}
