import { READ_ONLY_ROLES, allowedRolesOf, type Permission } from '../application/permissions/permissions';
import type { Role } from '../application/actor';
import { assistancePermissions } from '../application/permissions/assistance.permissions';
import { communityPermissions } from '../application/permissions/community.permissions';
import { detectionPermissions } from '../application/permissions/detection.permissions';
import { geographyPermissions } from '../application/permissions/geography.permissions';
import { ledgerPermissions } from '../application/permissions/ledger.permissions';
import { visitPermissions } from '../application/permissions/visits.permissions';
import { operationsPermissions } from '../application/permissions/operations.permissions';
import { performancePermissions } from '../application/permissions/performance.permissions';
import { stationPermissions } from '../application/permissions/stations.permissions';
import { workforcePermissions } from '../application/permissions/workforce.permissions';

/**
 * Which policy guards each route, for the role gate: when that policy depends on the role alone
 * (`roles(...)`, `writePermission(roles(...))`), any other role gets 403 before its body is parsed
 * or validated, so schemas cannot be probed by roles that have no business there. The services
 * still check the same policy (and the jurisdiction); this only moves the role check forward.
 * Routes not listed here: writes are refused to the read-only roles, reads are open to every role.
 * Keys are `METHOD fastify-route-pattern`.
 */
const ROUTE_PERMISSIONS: Record<string, Permission<never>> = {
  // operations
  'GET /api/v1/projections': operationsPermissions.viewProjections,
  'POST /api/v1/projections/:name/rebuild': operationsPermissions.rebuildProjection,
  'POST /api/v1/projections/rebuild': operationsPermissions.rebuildProjection,
  'GET /api/v1/audit/verify': operationsPermissions.verifyLog,
  // geography
  ...each(
    [
      'POST /api/v1/geography/import',
      'POST /api/v1/towns',
      'PATCH /api/v1/towns/:id',
      'POST /api/v1/towns/:id/retire',
      'POST /api/v1/villages',
      'PATCH /api/v1/villages/:id',
      'POST /api/v1/villages/:id/retire',
      'POST /api/v1/groups',
      'PATCH /api/v1/groups/:id',
      'POST /api/v1/groups/:id/retire',
    ],
    geographyPermissions.write,
  ),
  // workforce
  ...each(
    [
      'POST /api/v1/workers',
      'POST /api/v1/workers/:id/leave',
      'POST /api/v1/workers/:id/postings',
      'POST /api/v1/workers/:id/certifications',
      'POST /api/v1/workers/:id/town-links',
      'POST /api/v1/workers/:id/town-links/:townId/end',
      'POST /api/v1/workers/:id/village-worker-links',
      'POST /api/v1/workers/:id/village-worker-links/:villageWorkerId/end',
      'POST /api/v1/workers/:id/handover',
      'PUT /api/v1/groups/:id/responsible-worker',
      'POST /api/v1/groups/:id/responsible-worker/end',
      'POST /api/v1/training-sessions',
      'POST /api/v1/training-sessions/:id/attendance',
      'POST /api/v1/mentoring-pairs',
      'POST /api/v1/mentoring-pairs/:id/end',
    ],
    workforcePermissions.write,
  ),
  // stations
  ...each(
    ['POST /api/v1/stations', 'PUT /api/v1/stations/:id/standard/:item', 'POST /api/v1/stations/:id/open', 'POST /api/v1/stations/:id/quality'],
    stationPermissions.write,
  ),
  // visits
  'POST /api/v1/schedule-policies': visitPermissions.setSchedulePolicy,
  // community
  ...each(
    [
      'POST /api/v1/volunteers',
      'PUT /api/v1/volunteers/:id/profile',
      'POST /api/v1/volunteers/:id/withdraw',
      'POST /api/v1/volunteer-teams',
      'POST /api/v1/volunteer-teams/:id/members',
      'POST /api/v1/volunteer-teams/:id/members/:volunteerId/leave',
      'PUT /api/v1/volunteer-teams/:id/leader',
      'POST /api/v1/volunteer-teams/:id/disband',
      'POST /api/v1/projects',
      'POST /api/v1/projects/:id/deliverables/:deliverableId/complete',
      'POST /api/v1/projects/:id/spendings',
      'POST /api/v1/projects/:id/close',
      'POST /api/v1/donations',
      'POST /api/v1/donations/:id/allocations',
    ],
    communityPermissions.write,
  ),
  // performance
  'POST /api/v1/scoring-policies': performancePermissions.setScoringPolicy,
  'POST /api/v1/assessments': performancePermissions.assess,
  'POST /api/v1/assessments/outcomes': performancePermissions.assess,
  'POST /api/v1/performance/publish': performancePermissions.publish,
  'GET /api/v1/performance': performancePermissions.readAll,
  'GET /api/v1/performance.csv': performancePermissions.readAll,
  // detection
  'POST /api/v1/data-imports': detectionPermissions.import,
  'GET /api/v1/data-imports': detectionPermissions.readImports,
  'GET /api/v1/data-imports/:id': detectionPermissions.readImports,
  'GET /api/v1/data-imports/:id/rejections': detectionPermissions.readImports,
  'GET /api/v1/data-imports/:id/rejections.csv': detectionPermissions.readImports,
  'POST /api/v1/findings/:id/place': detectionPermissions.act,
  'POST /api/v1/tasks/:id/outcome': detectionPermissions.act,
  'POST /api/v1/detection-policies': detectionPermissions.setPolicy,
  // assistance
  'POST /api/v1/policies': assistancePermissions.setPolicy,
  'POST /api/v1/calendars': assistancePermissions.setPolicy,
  'POST /api/v1/cases': assistancePermissions.apply,
  'POST /api/v1/cases/:id/accept': assistancePermissions.accept,
  'POST /api/v1/cases/:id/extend-review': assistancePermissions.accept,
  ...each(
    [
      'POST /api/v1/cases/:id/facts',
      'POST /api/v1/cases/:id/home-investigations',
      'POST /api/v1/cases/:id/neighbour-interviews',
      'POST /api/v1/cases/:id/data-checks',
    ],
    assistancePermissions.investigate,
  ),
  ...each(['POST /api/v1/cases/:id/notice', 'POST /api/v1/cases/:id/objections', 'POST /api/v1/cases/:id/refusal-notice'], assistancePermissions.notice),
  ...each(
    [
      'POST /api/v1/cases/:id/decision',
      'POST /api/v1/cases/:id/emergency-grant',
      'POST /api/v1/cases/:id/emergency-completion',
      'POST /api/v1/cases/:id/review',
    ],
    assistancePermissions.decide,
  ),
  'POST /api/v1/audit/replay': assistancePermissions.replay,
  // ledger (auditors post the signed head they kept to have it checked: a read, not a write)
  ...each(
    [
      'GET /api/v1/audit/ledger/heads/latest',
      'GET /api/v1/audit/ledger/heads',
      'GET /api/v1/audit/ledger/heads/daily',
      'GET /api/v1/audit/ledger/proofs/inclusion',
      'GET /api/v1/audit/ledger/proofs/consistency',
      'POST /api/v1/audit/ledger/verify',
      // audit runs (issue 20): starting one checks, it writes no domain data; each kind is auditor and admin
      'POST /api/v1/audit/runs',
      'GET /api/v1/audit/runs/:id',
    ],
    ledgerPermissions.read,
  ),
};

function each(keys: string[], policy: Permission<never>): Record<string, Permission<never>> {
  return Object.fromEntries(keys.map((k) => [k, policy]));
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The roles that may ever call `method route`, or null when any role may (the service decides).
 * A listed policy without a role list (a jurisdiction check) leaves writes to the default rule.
 */
export function rolesAllowedOn(method: string, route: string, allRoles: readonly Role[]): readonly Role[] | null {
  const policy = ROUTE_PERMISSIONS[`${method} ${route}`];
  const listed = policy ? allowedRolesOf(policy) : undefined;
  if (listed) return listed;
  if (WRITE_METHODS.has(method)) return allRoles.filter((r) => !READ_ONLY_ROLES.includes(r));
  return null;
}

/** For tests: every route key the table names. */
export const declaredRouteKeys = () => Object.keys(ROUTE_PERMISSIONS);
