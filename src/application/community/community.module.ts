/**
 * The community-resources feature (volunteers, teams, service records, projects, donations) as
 * one module. Wiring it touches four shared files by one or two lines each: the migration in
 * migrations/index.ts, `...communityProjections` in src/projections/registry.ts,
 * `createCommunityService(commands, store, db, jurisdictions)` in src/composition-root.ts, and
 * `communityRoutes` with `{ community, clock }` in src/http/app.ts. The application layer never
 * imports HTTP code, so the routes are imported from src/http directly.
 */
export { createCommunityService, type CommunityService } from './community.service';
