/**
 * The community-resources feature (volunteers, teams, service records, projects, donations) as
 * one module, so wiring it touches four shared files by one or two lines each:
 * - migrations/index.ts: `communityMigration` under '0006_community_read_models';
 * - src/projections/registry.ts: `...communityProjections`;
 * - src/composition-root.ts: `createCommunityService(commands, store, db, jurisdictions)`;
 * - src/http/app.ts: `communityRoutes` with `{ community, clock }`.
 */
export * as communityMigration from '../../../migrations/0006_community_read_models';
export { communityProjections } from '../../projections/community/community.projections';
export { createCommunityService, type CommunityService } from './community.service';
export { communityRoutes, type CommunityRoutesOptions } from '../../http/routes/community/community.routes';
