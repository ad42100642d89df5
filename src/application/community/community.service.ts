import type { CommandHandler } from '../command-handler';
import type { EventStore } from '../event-store';
import type { JurisdictionResolver } from '../jurisdiction';
import { CommunityAccess } from './community-access';
import { DonationsService } from './donations.service';
import { MobilisationService } from './mobilisation.service';
import { ProjectsService } from './projects.service';
import { ServiceRecordsService } from './service-records.service';
import { CommunitySummaryService } from './summary.service';
import { TeamsService } from './teams.service';
import { VolunteersService } from './volunteers.service';
import type { Db } from '../db';

/** The community-resources feature as one object, one service per aggregate family. */
export interface CommunityService {
  volunteers: VolunteersService;
  teams: TeamsService;
  serviceRecords: ServiceRecordsService;
  mobilisation: MobilisationService;
  projects: ProjectsService;
  donations: DonationsService;
  summary: CommunitySummaryService;
}

/**
 * Same shape as the other features' factories. The event store is not needed yet: every
 * command goes through the command handler and every read through the read models.
 */
export function createCommunityService(commands: CommandHandler, _store: EventStore, db: Db, jurisdictions: JurisdictionResolver): CommunityService {
  const access = new CommunityAccess(db, jurisdictions);
  const teams = new TeamsService(commands, db, access);
  return {
    volunteers: new VolunteersService(commands, db, access, teams),
    teams,
    serviceRecords: new ServiceRecordsService(commands, db, access),
    mobilisation: new MobilisationService(commands, db, access),
    projects: new ProjectsService(commands, db, access),
    donations: new DonationsService(commands, db, access),
    summary: new CommunitySummaryService(db, access),
  };
}
