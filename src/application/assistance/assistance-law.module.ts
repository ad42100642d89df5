import type { Kysely } from 'kysely';
import type { CommandHandler } from '../command-handler';
import type { EventStore } from '../event-store';
import { CaseProcedureService } from './case-procedure.service';
import { OfficialsService } from './officials.service';

/** Issue 19's parts of assistance: the case-procedure policy and the officials who confirm. */
export interface AssistanceLaw {
  procedure: CaseProcedureService;
  officials: OfficialsService;
}

export function createAssistanceLaw(commands: CommandHandler, store: EventStore, db: Kysely<any>): AssistanceLaw {
  return { procedure: new CaseProcedureService(commands, store), officials: new OfficialsService(commands, db) };
}
