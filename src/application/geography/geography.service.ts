import type { VillageKind } from '../../domain/geography/village.events';
import {
  getGroup,
  getTown,
  getVillage,
  listGroups,
  listTowns,
  listVillages,
  openDependants,
  type GroupView,
  type TownView,
  type VillageView,
} from '../../projections/geography/geography.queries';
import { authorize } from '../permissions/permissions';
import { countyDate } from '../clock';
import { commandFlow } from '../command-flow';
import { subCommand, type CommandContext, type CommandHandler } from '../command-handler';
import { ForbiddenError, NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import { canSee, visibility, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import type { Page, PageRequest } from '../pagination';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { validateRows, type ImportReport } from './geography-import';
import { towns, villages, villagerGroupFlow } from './geography.aggregates';
import { geographyPermissions } from '../permissions/geography.permissions';
import type { Db } from '../db';

/**
 * Ids derive from the stable statistical codes: registering a code twice lands on the same
 * stream, so the event store refuses the duplicate even under a race, and imports re-run safely.
 */
export const townIdForCode = (code: string) => deterministicUuid(`town:${code}`);
export const villageIdForCode = (code: string) => deterministicUuid(`village:${code}`);
export const groupIdForCode = (code: string) => deterministicUuid(`group:${code}`);

type Reader = Pick<CommandContext, 'actor' | 'now'>;

export class GeographyService {
  private readonly towns;
  private readonly villages;
  private readonly groups;

  constructor(
    commands: CommandHandler,
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
  ) {
    const write = geographyPermissions.write;
    this.towns = commandFlow(commands, { aggregate: towns, write, load: (id) => getTown(db, id) });
    this.villages = commandFlow(commands, { aggregate: villages, write, load: (id) => getVillage(db, id) });
    this.groups = villagerGroupFlow(commands, db, write);
  }

  // ── Towns ──────────────────────────────────────────────────────────────────
  async registerTown(context: CommandContext, input: { code: string; name: string }): Promise<TownView> {
    return this.towns.create(context, 'register towns', input, async () => {
      const townId = townIdForCode(input.code);
      return { id: townId, command: { type: 'RegisterTown', data: { townId, code: input.code, name: input.name } } };
    });
  }

  async renameTown(context: CommandContext, townId: string, name: string, ifMatch?: number): Promise<TownView> {
    return this.towns.change(context, townId, 'rename towns', { type: 'RenameTown', data: { townId, name } }, { ifMatch, resource: { townId } });
  }

  async retireTown(context: CommandContext, townId: string, ifMatch?: number): Promise<TownView> {
    const open = async () => openDependants(this.db, { townId }, countyDate(context.now));
    return this.towns.change(context, townId, 'retire towns', async () => ({ type: 'RetireTown', data: { townId, openResponsibilities: await open() } }), {
      ifMatch,
      resource: { townId },
    });
  }

  async getTown(context: Reader, id: string): Promise<TownView> {
    const town = await this.mustGet(getTown(this.db, id), 'town', id);
    await this.mustSee(context, { townId: town.id });
    return town;
  }

  async listTowns(context: Reader, filter: { status?: string }, page: PageRequest): Promise<Page<TownView>> {
    const v = visibility(await this.jurisdiction(context));
    return listTowns(this.db, { ...filter, townIds: v.townIds }, page);
  }

  // ── Villages ───────────────────────────────────────────────────────────────
  async registerVillage(context: CommandContext, input: { townId: string; kind: VillageKind; code: string; name: string }): Promise<VillageView> {
    return this.villages.create(context, 'register villages', input, async () => {
      const town = await this.towns.load(input.townId, context);
      const villageId = villageIdForCode(input.code);
      const townStatus = town.status as 'active' | 'retired';
      return {
        id: villageId,
        command: { type: 'RegisterVillage', data: { villageId, townId: town.id, townStatus, kind: input.kind, code: input.code, name: input.name } },
      };
    });
  }

  async renameVillage(context: CommandContext, villageId: string, name: string, ifMatch?: number): Promise<VillageView> {
    return this.villages.change(
      context,
      villageId,
      'rename villages',
      { type: 'RenameVillage', data: { villageId, name } },
      { ifMatch, resource: { villageId } },
    );
  }

  async retireVillage(context: CommandContext, villageId: string, ifMatch?: number): Promise<VillageView> {
    const open = async () => openDependants(this.db, { villageId }, countyDate(context.now));
    return this.villages.change(
      context,
      villageId,
      'retire villages',
      async () => ({ type: 'RetireVillage', data: { villageId, openResponsibilities: await open() } }),
      { ifMatch, resource: { villageId } },
    );
  }

  async getVillage(context: Reader, id: string): Promise<VillageView> {
    const village = await this.mustGet(getVillage(this.db, id), 'village', id);
    await this.mustSee(context, { townId: village.townId, villageId: village.id });
    return village;
  }

  async listVillages(context: Reader, filter: { townId?: string; status?: string }, page: PageRequest): Promise<Page<VillageView>> {
    const v = visibility(await this.jurisdiction(context));
    return listVillages(this.db, { ...filter, townIds: v.townIds, villageIds: v.villageIds }, page);
  }

  // ── Villager groups ────────────────────────────────────────────────────────
  async registerGroup(context: CommandContext, input: { villageId: string; code: string; name: string }): Promise<GroupView> {
    return this.groups.create(context, 'register villager groups', input, async () => {
      const village = await this.villages.load(input.villageId, context);
      const groupId = groupIdForCode(input.code);
      const villageStatus = village.status as 'active' | 'retired';
      return {
        id: groupId,
        command: { type: 'RegisterVillagerGroup', data: { groupId, villageId: village.id, villageStatus, code: input.code, name: input.name } },
      };
    });
  }

  async renameGroup(context: CommandContext, groupId: string, name: string, ifMatch?: number): Promise<GroupView> {
    return this.groups.change(
      context,
      groupId,
      'rename villager groups',
      { type: 'RenameVillagerGroup', data: { groupId, name } },
      { ifMatch, resource: { groupId } },
    );
  }

  async retireGroup(context: CommandContext, groupId: string, ifMatch?: number): Promise<GroupView> {
    const open = async () => openDependants(this.db, { groupId }, countyDate(context.now));
    return this.groups.change(
      context,
      groupId,
      'retire villager groups',
      async () => ({ type: 'RetireVillagerGroup', data: { groupId, openResponsibilities: await open() } }),
      { ifMatch, resource: { groupId } },
    );
  }

  async getGroup(context: Reader, id: string): Promise<GroupView> {
    const group = await this.mustGet(getGroup(this.db, id, countyDate(context.now)), 'villager group', id);
    await this.mustSee(context, { townId: group.townId, villageId: group.villageId, groupId: group.id });
    return group;
  }

  async listGroups(context: Reader, filter: { villageId?: string; townId?: string; status?: string }, page: PageRequest): Promise<Page<GroupView>> {
    const v = visibility(await this.jurisdiction(context));
    return listGroups(this.db, { ...filter, townIds: v.townIds, groupIds: v.groupIds }, page, countyDate(context.now));
  }

  // ── Bulk import ────────────────────────────────────────────────────────────
  /**
   * Applies every valid row and reports every invalid one with its row, field and reason.
   * Ids derive from codes and a row whose unit exists is a rename (a no-op for the same name),
   * so importing the same file twice changes nothing.
   */
  async import(context: CommandContext, raw: readonly unknown[]): Promise<ImportReport> {
    await authorize(context.actor, geographyPermissions.write, undefined, 'import geography');
    const { valid, rejected } = validateRows(raw);
    const report: ImportReport = { applied: 0, unchanged: 0, rejected, results: [] };
    for (const { row, data } of valid) {
      const sub = subCommand(context, `row:${row}`);
      try {
        const { id, before, after } = await this.importRow(sub, data);
        const outcome = before === null ? 'created' : before === after ? 'unchanged' : 'renamed';
        if (outcome === 'unchanged') report.unchanged++;
        else report.applied++;
        report.results.push({ row, kind: data.kind, code: data.code, id, outcome });
      } catch (error) {
        if (error instanceof DomainRuleViolation || error instanceof NotFoundError) {
          report.rejected.push({ row, field: error instanceof NotFoundError ? 'parentCode' : 'code', message: error.message });
        } else throw error;
      }
    }
    report.rejected.sort((a, b) => a.row - b.row);
    return report;
  }

  private async importRow(
    context: CommandContext,
    row: { kind: 'town' | 'village' | 'group'; code: string; name: string; parentCode?: string | undefined; villageKind?: 'village' | 'community' | undefined },
  ) {
    if (row.kind === 'town') {
      const id = townIdForCode(row.code);
      const existing = await getTown(this.db, id);
      const after = existing ? await this.renameTown(context, id, row.name) : await this.registerTown(context, row);
      return { id, before: existing?.version ?? null, after: after.version };
    }
    if (row.kind === 'village') {
      const id = villageIdForCode(row.code);
      const existing = await getVillage(this.db, id);
      const after = existing
        ? await this.renameVillage(context, id, row.name)
        : await this.registerVillage(context, { townId: townIdForCode(row.parentCode!), kind: row.villageKind ?? 'village', code: row.code, name: row.name });
      return { id, before: existing?.version ?? null, after: after.version };
    }
    const id = groupIdForCode(row.code);
    const existing = await getGroup(this.db, id, countyDate(context.now));
    const after = existing
      ? await this.renameGroup(context, id, row.name)
      : await this.registerGroup(context, { villageId: villageIdForCode(row.parentCode!), code: row.code, name: row.name });
    return { id, before: existing?.version ?? null, after: after.version };
  }

  // ── helpers ────────────────────────────────────────────────────────────────
  private async jurisdiction(context: Reader): Promise<Jurisdiction> {
    await authorize(context.actor, geographyPermissions.read, undefined, 'read geography');
    return this.jurisdictions.resolve(context.actor, countyDate(context.now));
  }

  private async mustSee(context: Reader, place: { townId: string; villageId?: string; groupId?: string }): Promise<void> {
    if (!canSee(await this.jurisdiction(context), place)) throw new ForbiddenError('this place is outside your jurisdiction');
  }

  private async mustGet<T>(lookup: Promise<T | null>, resource: string, id: string): Promise<T> {
    const found = await lookup;
    if (!found) throw new NotFoundError(resource, id);
    return found;
  }
}
