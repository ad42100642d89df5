import { DomainRuleViolation } from '../../domain/shared/errors';
import { getTown, getVillage } from '../../projections/geography/geography.queries';
import type { Actor } from '../actor';
import { authorize } from '../permissions/permissions';
import { countyDate } from '../clock';
import type { CommandContext } from '../command-handler';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import { canSee, covers, visibleTowns, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import { communityPermissions } from '../permissions/community.permissions';
import type { Db } from '../db';

export type Reader = Pick<CommandContext, 'actor' | 'now'>;

/** Where a community resource belongs: a town (and maybe a village), or the county (town null). */
export interface CommunityPlace {
  townId: string | null;
  villageId?: string | null;
}

/**
 * Authorisation and places, shared by the community services: who may read or write where,
 * and which town and village an input names.
 */
export class CommunityAccess {
  constructor(
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
  ) {}

  /** The reader's jurisdiction, after the read policy. */
  async reader(context: Reader, what: string): Promise<Jurisdiction> {
    await authorize(context.actor, communityPermissions.read, undefined, what);
    return this.jurisdictions.resolve(context.actor, countyDate(context.now));
  }

  /** Towns a list may show (null = all). */
  async visibleTowns(context: Reader, what: string): Promise<readonly string[] | null> {
    const towns = visibleTowns(await this.reader(context, what));
    return towns ? [...towns] : null;
  }

  /**
   * May this reader see a resource at this place? Visibility is by town, as in the lists: a
   * village worker sees their town's volunteers and teams (personal data stays masked).
   * County-wide resources are the whole county's.
   */
  async assertVisible(context: Reader, place: CommunityPlace, what: string): Promise<void> {
    const j = await this.reader(context, `read ${what}`);
    if (place.townId !== null && !canSee(j, { townId: place.townId })) throw new ForbiddenError(`this ${what} is outside your jurisdiction`);
  }

  /** The write policy, then the place: a town the actor covers, or the county for the bureau only. */
  async assertWriter(context: CommandContext, place: CommunityPlace, what: string): Promise<void> {
    await authorize(context.actor, communityPermissions.write, place, what);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const ok = place.townId === null ? j.scope === 'all' : covers(j, { townId: place.townId, villageId: place.villageId ?? null });
    if (!ok) throw new ForbiddenError(place.townId === null ? 'county-wide resources are managed by the bureau' : 'this town is outside your jurisdiction');
  }

  /**
   * The place an input names. A village implies its town; a town and a village that disagree,
   * or a retired one, are refused. Nothing named: the county.
   */
  async place(input: { townId?: string | null | undefined; villageId?: string | null | undefined }): Promise<Required<CommunityPlace>> {
    if (input.villageId) {
      const village = await getVillage(this.db, input.villageId);
      if (!village) throw new NotFoundError('village', input.villageId);
      if (input.townId && input.townId !== village.townId) {
        throw new DomainRuleViolation('community.village_outside_town', 'the village lies in another town', {
          villageId: village.id,
          townId: input.townId,
          villageTownId: village.townId,
        });
      }
      if (village.status !== 'active') throw new DomainRuleViolation('community.place_retired', 'the village is retired', { villageId: village.id });
      return { townId: village.townId, villageId: village.id };
    }
    if (input.townId) {
      const town = await getTown(this.db, input.townId);
      if (!town) throw new NotFoundError('town', input.townId);
      if (town.status !== 'active') throw new DomainRuleViolation('community.place_retired', 'the town is retired', { townId: town.id });
      return { townId: town.id, villageId: null };
    }
    return { townId: null, villageId: null };
  }

  /** Like `place`, for resources that always belong to a town (volunteers, teams, records). */
  async townPlace(input: { townId?: string | null | undefined; villageId?: string | null | undefined }): Promise<{ townId: string; villageId: string | null }> {
    const place = await this.place(input);
    if (place.townId === null) throw new BadRequestError('name the town (townId) or the village (villageId)', 'townId');
    return { townId: place.townId, villageId: place.villageId };
  }
}

export const today = (context: Reader) => countyDate(context.now);

/** ID numbers are the bureau's business only; everyone else sees `530626**********12`. */
export const seesFullIdNumbers = (actor: Actor) => actor.role === 'admin';

/** Workers phone volunteers and thank donors; auditors and evaluators need neither. */
export const seesContactDetails = (actor: Actor) => ['admin', 'county_worker', 'town_worker', 'village_worker'].includes(actor.role);
