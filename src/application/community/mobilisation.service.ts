import { listMobilisableCounts, type MobilisableCountRecord } from '../../projections/community/volunteers.queries';
import type { CommandContext, CommandHandler } from '../command-handler';
import { mobilisableCounts } from './community.aggregates';
import { deterministicUuid } from '../ids';
import { today, type CommunityAccess, type Reader } from './community-access';
import type { Db } from '../db';

/** Mobilisable people an organisation can call on without registering each (see mobilisable-count.ts). */
export class MobilisationService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly access: CommunityAccess,
  ) {}

  /** One stream per organisation and place: the same name in the same town is the same organisation. */
  async record(
    context: CommandContext,
    input: { organisation: string; townId?: string | null | undefined; count: number; asOf?: string | undefined; note?: string | undefined },
  ): Promise<MobilisableCountRecord> {
    const place = await this.access.place({ townId: input.townId ?? null });
    await this.access.assertWriter(context, place, 'record mobilisable counts');
    const organisation = input.organisation.trim();
    const organisationId = deterministicUuid(`mobilisable:${place.townId ?? 'county'}:${organisation}`);
    const asOf = input.asOf ?? today(context);
    const data = { organisationId, organisation, townId: place.townId, count: input.count, asOf, note: input.note ?? '', today: today(context) };
    await this.commands.handle(mobilisableCounts, organisationId, { type: 'RecordMobilisableCount', data }, context);
    const all = await listMobilisableCounts(this.db, { townIds: null });
    return all.find((c) => c.organisationId === organisationId)!;
  }

  async list(context: Reader, filter: { townId?: string }): Promise<MobilisableCountRecord[]> {
    const townIds = await this.access.visibleTowns(context, 'read mobilisable counts');
    return listMobilisableCounts(this.db, { ...filter, townIds });
  }
}
