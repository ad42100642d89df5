import { townDecider } from '../../domain/geography/town.decide';
import { townEvents, townStreamId } from '../../domain/geography/town.events';
import { villageDecider } from '../../domain/geography/village.decide';
import { villageEvents, villageStreamId } from '../../domain/geography/village.events';
import { villagerGroupDecider } from '../../domain/geography/villager-group.decide';
import { villagerGroupEvents, villagerGroupStreamId } from '../../domain/geography/villager-group.events';
import { getGroup } from '../../projections/geography/geography.queries';
import { defineAggregate } from '../aggregate';
import type { Permission } from '../permissions/permissions';
import { countyDate } from '../clock';
import { commandFlow } from '../command-flow';
import type { CommandHandler } from '../command-handler';
import type { Db } from '../db';

export const towns = defineAggregate({ name: 'town', streamId: townStreamId, decider: townDecider, catalog: townEvents });
export const villages = defineAggregate({ name: 'village', streamId: villageStreamId, decider: villageDecider, catalog: villageEvents });
/** Also written by workforce: a group's responsible worker is a fact of the group's stream. */
export const villagerGroups = defineAggregate({
  name: 'villager group',
  streamId: villagerGroupStreamId,
  decider: villagerGroupDecider,
  catalog: villagerGroupEvents,
});

/** Commands on a villager group, read back as the group is today (geography and workforce both write it). */
export const villagerGroupFlow = (commands: CommandHandler, db: Db, write: Permission<unknown>) =>
  commandFlow(commands, { aggregate: villagerGroups, write, load: (id: string, reader) => getGroup(db, id, countyDate(reader.now)) });
