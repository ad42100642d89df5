import type { ServedGroup } from '../../domain/community/community-vocabulary';
import type { ServiceRecordCommand } from '../../domain/community/service-record.decide';
import { getProject } from '../../projections/community/funds.queries';
import {
  getServiceRecord,
  listServiceRecords,
  serviceHours,
  type HoursFilter,
  type HoursGrouping,
  type HoursRow,
  type ServiceRecordFilter,
  type ServiceRecordView,
} from '../../projections/community/services.queries';
import { getTeam, teamMembersOn, volunteerStandings } from '../../projections/community/volunteers.queries';
import { getHousehold, groupsOfHouseholds, type HouseholdRecord } from '../../projections/households/households.queries';
import type { CommandContext, CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { serviceRecords } from './community.aggregates';
import { NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import type { Page, PageRequest } from '../pagination';
import { today, type CommunityAccess, type Reader } from './community-access';
import { canSee, type Jurisdiction } from '../jurisdiction';
import { SERVICE_RECORD_FIELDS } from '../privacy/classification';
import { maskFor } from '../privacy/privacy';
import type { Db } from '../db';

export interface RecordServiceInput {
  activity: string;
  date: string;
  townId?: string | undefined;
  villageId?: string | null | undefined;
  projectId?: string | null | undefined;
  participants: { volunteerId: string; teamId?: string | null | undefined; minutes: number }[];
  householdIds?: string[] | undefined;
  servedGroups?: ServedGroup[] | undefined;
  /** Default: the members of the households served. */
  peopleServed?: number | undefined;
  /** Default: the members of the households served who were under 18 on the day. */
  childrenServed?: number | undefined;
  note?: string | undefined;
}

/** A child is under 18 on the day (birth date from the ID number, yyyy-mm-dd). */
const isChildOn = (birthDate: string, day: string) =>
  Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (day.slice(5) < birthDate.slice(5) ? 1 : 0) < 18;

/** Service records (志愿服务记录) and the hours they add up to. */
export class ServiceRecordsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly access: CommunityAccess,
  ) {}

  async record(context: CommandContext, input: RecordServiceInput): Promise<ServiceRecordView> {
    const place = await this.access.townPlace(input);
    await this.access.assertWriter(context, place, 'record volunteer service');
    const participants = input.participants.map((p) => ({ volunteerId: p.volunteerId, teamId: p.teamId ?? null, minutes: p.minutes }));
    const households = await this.households(context, input.householdIds ?? []);
    const members = households.flatMap((h) => h.members);
    const recordId = deterministicUuid(`${context.commandId}:service-record`);
    const command: CommandInput<ServiceRecordCommand> = {
      type: 'RecordService',
      data: {
        recordId,
        activity: input.activity,
        date: input.date,
        townId: place.townId,
        villageId: place.villageId,
        projectId: input.projectId ?? null,
        participants,
        householdIds: households.map((h) => h.id),
        servedGroups: input.servedGroups ?? [],
        peopleServed: input.peopleServed ?? members.length,
        childrenServed: input.childrenServed ?? members.filter((m) => isChildOn(m.birthDate, input.date)).length,
        note: input.note ?? '',
        facts: await this.facts(participants, input.projectId ?? null, input.date),
        today: today(context),
      },
    };
    await this.commands.handle(serviceRecords, recordId, command, context);
    return this.get(context, recordId);
  }

  async void(context: CommandContext, recordId: string, reason: string): Promise<ServiceRecordView> {
    const record = await getServiceRecord(this.db, recordId);
    if (!record) throw new NotFoundError('service record', recordId);
    await this.access.assertWriter(context, record, 'void service records');
    await this.commands.handle(serviceRecords, recordId, { type: 'VoidService', data: { reason } }, context);
    return this.get(context, recordId);
  }

  async get(context: Reader, recordId: string): Promise<ServiceRecordView> {
    const record = await getServiceRecord(this.db, recordId);
    if (!record) throw new NotFoundError('service record', recordId);
    await this.access.assertVisible(context, record, 'service record');
    return this.mask(context, record);
  }

  async list(context: Reader, filter: Omit<ServiceRecordFilter, 'townIds'>, page: PageRequest): Promise<Page<ServiceRecordView>> {
    const townIds = await this.access.visibleTowns(context, 'read service records');
    const result = await listServiceRecords(this.db, { ...filter, townIds }, page);
    return { items: await Promise.all(result.items.map((r) => this.mask(context, r))), nextCursor: result.nextCursor };
  }

  /** Notes about the people served are free text: masked for roles that may not read health data there. */
  private async mask(context: Reader, record: ServiceRecordView): Promise<ServiceRecordView> {
    const j = await this.access.reader(context, 'read service records');
    const area = (await this.notesInside(j, record)) ? 'inside' : 'outside';
    return maskFor(context.actor, 'beneficiary', area, record, SERVICE_RECORD_FIELDS).value;
  }

  /**
   * The notes are about the households served, so they lie where those households do: a village
   * worker reads them only when every household served is in their groups (issue 13: another
   * group's worker in the same village read of an elder's dialysis).
   */
  private async notesInside(j: Jurisdiction, record: ServiceRecordView): Promise<boolean> {
    if (!canSee(j, { townId: record.townId, villageId: record.villageId })) return false;
    if (j.scope !== 'groups' || record.householdIds.length === 0) return true;
    const groups = await groupsOfHouseholds(this.db, record.householdIds);
    return groups.length === record.householdIds.length && groups.every((groupId) => j.groupIds.has(groupId));
  }

  async hours(context: Reader, by: HoursGrouping, filter: Omit<HoursFilter, 'townIds'>, page: PageRequest): Promise<Page<HoursRow>> {
    const townIds = await this.access.visibleTowns(context, 'read service hours');
    return serviceHours(this.db, by, { ...filter, townIds }, page);
  }

  /** Who was registered and who was in which team on the day, and the project's period. */
  private async facts(participants: { volunteerId: string; teamId: string | null }[], projectId: string | null, date: string) {
    const standings = await volunteerStandings(
      this.db,
      participants.map((p) => p.volunteerId),
    );
    const unknown = standings.find((s) => s.status === 'unregistered');
    if (unknown) throw new NotFoundError('volunteer', unknown.volunteerId);
    const teamIds = [...new Set(participants.flatMap((p) => (p.teamId ? [p.teamId] : [])))];
    for (const teamId of teamIds) if (!(await getTeam(this.db, teamId))) throw new NotFoundError('volunteer team', teamId);
    const project = projectId ? await getProject(this.db, projectId) : null;
    if (projectId && !project) throw new NotFoundError('project', projectId);
    return {
      registeredVolunteerIds: standings
        .filter((s) => s.registeredOn !== null && s.registeredOn <= date && (s.withdrawnOn === null || date < s.withdrawnOn))
        .map((s) => s.volunteerId),
      teamMembersOnDate: await teamMembersOn(this.db, teamIds, date),
      project: project ? { projectId: project.id, from: project.from, to: project.to, closedOn: project.closedOn } : null,
    };
  }

  /** The households served must exist and be visible to the recorder. */
  private async households(context: Reader, ids: readonly string[]): Promise<HouseholdRecord[]> {
    const found: HouseholdRecord[] = [];
    for (const id of new Set(ids)) {
      const household = await getHousehold(this.db, id);
      if (!household) throw new NotFoundError('household', id);
      await this.access.assertVisible(context, { townId: household.townId, villageId: household.villageId }, 'household');
      found.push(household);
    }
    return found;
  }
}
