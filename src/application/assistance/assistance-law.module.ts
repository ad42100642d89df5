import type { CommandHandler } from '../command-handler';
import type { EventStore } from '../event-store';
import { CaseProcedureService } from './case-procedure.service';
import { OfficialsService } from './officials.service';
import type { CasesService } from './cases.service';
import type { LegacyRollImportService } from './legacy-roll/legacy-roll-import.service';
import type { Db } from '../db';

/** Issue 19's parts of assistance: the case-procedure policy and the officials who confirm. */
export interface AssistanceLaw {
  procedure: CaseProcedureService;
  officials: OfficialsService;
}

export function createAssistanceLaw(commands: CommandHandler, store: EventStore, db: Db): AssistanceLaw {
  return { procedure: new CaseProcedureService(commands, store), officials: new OfficialsService(commands, db) };
}

/** What the HTTP layer gets: the above, the case commands of the procedure, and the legacy-roll import. */
export type AssistanceLawServices = AssistanceLaw & { cases: CasesService; legacyImport: LegacyRollImportService };
