import type { StandardItem } from '../../domain/stations/standard';
import type { StationCommand } from '../../domain/stations/station.decide';
import { getTown, getVillage } from '../../projections/geography/geography.queries';
import { getStation, listStations, type StationView } from '../../projections/stations/stations.queries';
import { authorize } from '../permissions/permissions';
import { stationPermissions } from '../permissions/stations.permissions';
import { countyDate } from '../clock';
import type { CommandContext, CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { stations } from './stations.aggregates';
import { ForbiddenError, NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import { canSee, visibility, type JurisdictionResolver } from '../jurisdiction';
import type { Page, PageRequest } from '../pagination';
import type { Db } from '../db';

/** One station per unit: the id derives from the town or village it serves. */
export const stationIdFor = (unit: { townId?: string; villageId?: string }) =>
  deterministicUuid(unit.villageId ? `station:village:${unit.villageId}` : `station:town:${unit.townId}`);

type Reader = Pick<CommandContext, 'actor' | 'now'>;

export class StationsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
  ) {}

  async plan(context: CommandContext, input: { townId?: string; villageId?: string; name: string }): Promise<StationView> {
    await authorize(context.actor, stationPermissions.write, input, 'plan stations');
    let command: CommandInput<StationCommand>;
    const stationId = stationIdFor(input);
    if (input.villageId) {
      const village = await getVillage(this.db, input.villageId);
      if (!village) throw new NotFoundError('village', input.villageId);
      command = {
        type: 'PlanStation',
        data: { stationId, unit: { kind: 'village', villageId: village.id }, unitStatus: village.status as 'active', name: input.name },
      };
    } else {
      const town = input.townId ? await getTown(this.db, input.townId) : null;
      if (!town) throw new NotFoundError('town', input.townId ?? '(none given)');
      command = { type: 'PlanStation', data: { stationId, unit: { kind: 'town', townId: town.id }, unitStatus: town.status as 'active', name: input.name } };
    }
    await this.run(context, stationId, command);
    return this.must(stationId);
  }

  async recordItem(
    context: CommandContext,
    stationId: string,
    input: { item: StandardItem; met: boolean; note: string; on: string },
    ifMatch?: number,
  ): Promise<StationView> {
    await authorize(context.actor, stationPermissions.write, input, 'record the station standard');
    await this.must(stationId);
    await this.run(
      context,
      stationId,
      input.met
        ? { type: 'RecordStandardItemMet', data: { stationId, item: input.item, note: input.note, metOn: input.on } }
        : { type: 'RecordStandardItemUnmet', data: { stationId, item: input.item, note: input.note } },
      ifMatch,
    );
    return this.must(stationId);
  }

  async open(context: CommandContext, stationId: string, openedOn: string, ifMatch?: number): Promise<StationView> {
    await authorize(context.actor, stationPermissions.write, { stationId }, 'open stations');
    await this.must(stationId);
    await this.run(context, stationId, { type: 'OpenStation', data: { stationId, openedOn } }, ifMatch);
    return this.must(stationId);
  }

  async rateQuality(context: CommandContext, stationId: string, input: { ratedOn: string; note: string }, ifMatch?: number): Promise<StationView> {
    await authorize(context.actor, stationPermissions.write, input, 'rate stations');
    await this.must(stationId);
    await this.run(context, stationId, { type: 'RateStationQuality', data: { stationId, ...input } }, ifMatch);
    return this.must(stationId);
  }

  async get(context: Reader, stationId: string): Promise<StationView> {
    await authorize(context.actor, stationPermissions.read, undefined, 'read stations');
    const station = await this.must(stationId);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!canSee(j, { townId: station.townId, villageId: station.villageId })) throw new ForbiddenError('this station is outside your jurisdiction');
    return station;
  }

  async list(context: Reader, filter: { townId?: string; villageId?: string; kind?: string; status?: string }, page: PageRequest): Promise<Page<StationView>> {
    await authorize(context.actor, stationPermissions.read, undefined, 'read stations');
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const v = visibility(j);
    return listStations(this.db, { ...filter, townIds: v.townIds, villageIds: v.villageIds }, page);
  }

  private run(context: CommandContext, stationId: string, command: CommandInput<StationCommand>, ifMatch?: number) {
    return this.commands.handle(stations, stationId, command, context, { ifMatch });
  }

  private async must(stationId: string): Promise<StationView> {
    const station = await getStation(this.db, stationId);
    if (!station) throw new NotFoundError('station', stationId);
    return station;
  }
}
