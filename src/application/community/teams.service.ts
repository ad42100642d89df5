import type { TeamKind } from '../../domain/community/community-vocabulary';
import type { TeamCommand } from '../../domain/community/team.decide';
import { getTeam, listTeams, volunteerStandings, type TeamFilter, type TeamRecord } from '../../projections/community/volunteers.queries';
import { subCommand, type CommandContext, type CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { teams } from './community.aggregates';
import { NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import type { Page, PageRequest } from '../pagination';
import { today, type CommunityAccess, type Reader } from './community-access';
import type { Db } from '../db';

/** Volunteer teams (志愿服务队) and their dated memberships and leaders. */
export class TeamsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly access: CommunityAccess,
  ) {}

  async form(
    context: CommandContext,
    input: { name: string; kind: TeamKind; townId?: string | undefined; villageId?: string | null | undefined; formedOn?: string | undefined },
  ): Promise<TeamRecord> {
    const place = await this.access.townPlace(input);
    await this.access.assertWriter(context, place, 'form volunteer teams');
    const teamId = deterministicUuid(`${context.commandId}:team`);
    await this.run(context, teamId, {
      type: 'FormTeam',
      data: {
        teamId,
        name: input.name,
        kind: input.kind,
        townId: place.townId,
        villageId: place.villageId,
        formedOn: input.formedOn ?? today(context),
        today: today(context),
      },
    });
    return this.get(context, teamId);
  }

  /** Joins a volunteer from a date; `leader` also makes them the team's leader from that date. */
  async join(
    context: CommandContext,
    teamId: string,
    input: { volunteerId: string; from?: string | undefined; leader?: boolean | undefined },
    ifMatch?: number,
  ): Promise<TeamRecord> {
    await this.writable(context, teamId, 'change volunteer teams');
    const [volunteer] = await volunteerStandings(this.db, [input.volunteerId]);
    if (volunteer!.status === 'unregistered') throw new NotFoundError('volunteer', input.volunteerId);
    const from = input.from ?? today(context);
    await this.run(context, teamId, { type: 'JoinTeam', data: { volunteer: volunteer!, from, today: today(context) } }, ifMatch);
    if (input.leader) await this.appointLeader(subCommand(context, 'leader'), teamId, { volunteerId: input.volunteerId, from });
    return this.get(context, teamId);
  }

  async leave(context: CommandContext, teamId: string, volunteerId: string, input: { to?: string | undefined }, ifMatch?: number): Promise<TeamRecord> {
    await this.writable(context, teamId, 'change volunteer teams');
    await this.run(context, teamId, { type: 'LeaveTeam', data: { volunteerId, to: input.to ?? today(context), today: today(context) } }, ifMatch);
    return this.get(context, teamId);
  }

  async appointLeader(
    context: CommandContext,
    teamId: string,
    input: { volunteerId: string; from?: string | undefined },
    ifMatch?: number,
  ): Promise<TeamRecord> {
    await this.writable(context, teamId, 'appoint team leaders');
    await this.run(
      context,
      teamId,
      { type: 'AppointLeader', data: { volunteerId: input.volunteerId, from: input.from ?? today(context), today: today(context) } },
      ifMatch,
    );
    return this.get(context, teamId);
  }

  async disband(context: CommandContext, teamId: string, input: { on?: string | undefined; reason: string }, ifMatch?: number): Promise<TeamRecord> {
    await this.writable(context, teamId, 'disband volunteer teams');
    await this.run(context, teamId, { type: 'DisbandTeam', data: { on: input.on ?? today(context), reason: input.reason, today: today(context) } }, ifMatch);
    return this.get(context, teamId);
  }

  /**
   * Called when a volunteer withdraws: the withdrawal already passed the writer's checks on the
   * volunteer, and a team in another town still loses the member, so no second check here.
   */
  async endMembershipOnWithdrawal(context: CommandContext, teamId: string, volunteerId: string, to: string): Promise<void> {
    await this.run(context, teamId, { type: 'LeaveTeam', data: { volunteerId, to, today: to > today(context) ? to : today(context) } });
  }

  async get(context: Reader, teamId: string): Promise<TeamRecord> {
    const team = await getTeam(this.db, teamId);
    if (!team) throw new NotFoundError('volunteer team', teamId);
    await this.access.assertVisible(context, team, 'volunteer team');
    return team;
  }

  async list(context: Reader, filter: Omit<TeamFilter, 'townIds'>, page: PageRequest): Promise<Page<TeamRecord>> {
    const townIds = await this.access.visibleTowns(context, 'read volunteer teams');
    return listTeams(this.db, { ...filter, townIds }, page);
  }

  private async writable(context: CommandContext, teamId: string, what: string): Promise<TeamRecord> {
    const team = await getTeam(this.db, teamId);
    if (!team) throw new NotFoundError('volunteer team', teamId);
    await this.access.assertWriter(context, team, what);
    return team;
  }

  private run(context: CommandContext, teamId: string, command: CommandInput<TeamCommand>, ifMatch?: number) {
    return this.commands.handle(teams, teamId, command, context, { ifMatch });
  }
}
