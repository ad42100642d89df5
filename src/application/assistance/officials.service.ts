import { listOfficials } from '../../projections/assistance/officials.projection';
import { getTown } from '../../projections/geography/geography.queries';
import { authorize, roles, writePermission } from '../permissions/permissions';
import type { CommandContext, CommandHandler } from '../command-handler';
import { officials } from './assistance.aggregates';
import { NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import type { Db } from '../db';

const manage = writePermission(roles('admin'));
const read = roles('admin', 'civil_affairs_officer', 'town_official', 'auditor');

/** The bureau registers the officials who confirm: their role and, for a town official, their town. */
export class OfficialsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
  ) {}

  async appoint(context: CommandContext, input: { name: string; role: 'civil_affairs_officer' | 'town_official'; townId?: string | null; from: string }) {
    await authorize(context.actor, manage, input, 'appoint officials');
    if (input.townId && !(await getTown(this.db, input.townId))) throw new NotFoundError('town', input.townId);
    const officialId = deterministicUuid(`official:${context.commandId}`);
    await this.commands.handle(
      officials,
      officialId,
      { type: 'Appoint', data: { officialId, name: input.name, role: input.role, townId: input.townId ?? null, from: input.from } },
      context,
    );
    return (await listOfficials(this.db)).find((o) => o.id === officialId)!;
  }

  async end(context: CommandContext, officialId: string, to: string) {
    await authorize(context.actor, manage, { officialId }, 'end appointments');
    const found = (await listOfficials(this.db)).find((o) => o.id === officialId);
    if (!found) throw new NotFoundError('official', officialId);
    await this.commands.handle(officials, officialId, { type: 'EndAppointment', data: { to } }, context);
    return (await listOfficials(this.db)).find((o) => o.id === officialId)!;
  }

  async list(context: Pick<CommandContext, 'actor'>) {
    await authorize(context.actor, read, undefined, 'list officials');
    return listOfficials(this.db);
  }
}
