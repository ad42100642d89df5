import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../../application/clock';
import type { CommunityService } from '../../../application/community/community.service';
import type { JsonCache } from '../../json-cache';
import { named } from '../../named-plugin';
import { donationRoutes } from './donations.routes';
import { projectRoutes } from './projects.routes';
import { serviceRecordRoutes } from './service-records.routes';
import { summaryRoutes } from './summary.routes';
import { teamRoutes } from './teams.routes';
import { volunteerRoutes } from './volunteers.routes';

export interface CommunityRoutesOptions {
  community: CommunityService;
  clock: Clock;
  /** The summary's answers, reused until an event is recorded (the community read models are inline). */
  cache: JsonCache;
}

/** Every community-resources route: volunteers, teams, service records, projects, donations, summary. */
export const communityRoutes: FastifyPluginAsyncZod<CommunityRoutesOptions> = async (app, options) => {
  await app.register(named(volunteerRoutes), options);
  await app.register(named(teamRoutes), options);
  await app.register(named(serviceRecordRoutes), options);
  await app.register(named(projectRoutes), options);
  await app.register(named(donationRoutes), options);
  await app.register(named(summaryRoutes), options);
};
