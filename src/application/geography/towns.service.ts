import type { Kysely } from 'kysely';
import { townDecider } from '../../domain/geography/town.decide';
import { townEvents, townStreamId } from '../../domain/geography/town.events';
import { getTown, listTowns, type TownView } from '../../projections/towns/towns.queries';
import { authorize } from '../authorization';
import type { CommandContext, CommandHandler } from '../command-handler';
import { NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import type { Page, PageRequest } from '../pagination';
import { townPolicies } from './town.policies';

/**
 * A town's id is derived from its code: registering the same code twice lands on the same
 * stream, so the event store itself refuses the duplicate, even under a race.
 */
export const townIdForCode = (code: string) => deterministicUuid(`town:${code}`);

export class TownsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Kysely<any>,
  ) {}

  async register(context: CommandContext, input: { code: string; name: string }): Promise<TownView> {
    await authorize(context.actor, townPolicies.register, input, 'register towns');
    const townId = townIdForCode(input.code);
    await this.commands.handle({
      streamId: townStreamId(townId),
      decider: townDecider,
      catalog: townEvents,
      context,
      command: { type: 'RegisterTown', data: { townId, code: input.code, name: input.name, now: context.now.toISOString() } },
    });
    // The towns projection is inline: the row is already there.
    const town = await getTown(this.db, townId);
    if (!town) throw new Error(`town ${townId} missing from its inline read model`);
    return town;
  }

  async get(context: Pick<CommandContext, 'actor'>, id: string): Promise<TownView> {
    await authorize(context.actor, townPolicies.read, { id }, 'read towns');
    const town = await getTown(this.db, id);
    if (!town) throw new NotFoundError('town', id);
    return town;
  }

  async list(context: Pick<CommandContext, 'actor'>, filter: { status?: string }, page: PageRequest): Promise<Page<TownView>> {
    await authorize(context.actor, townPolicies.read, filter, 'read towns');
    return listTowns(this.db, filter, page);
  }
}
