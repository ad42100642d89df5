import { READ_ONLY_ROLES, allowedRolesOf, type Policy } from '../application/permissions/permissions';
import type { Role } from '../application/actor';
import { assistancePolicies } from '../application/permissions/assistance.permissions';
import { communityPolicies } from '../application/permissions/community.permissions';
import { detectionPolicies } from '../application/permissions/detection.permissions';
import { geographyPolicies } from '../application/permissions/geography.permissions';
import { ledgerPolicies } from '../application/permissions/ledger.permissions';
import { visitPolicies } from '../application/permissions/visits.permissions';
import { operationsPolicies } from '../application/permissions/operations.permissions';
import { performancePolicies } from '../application/permissions/performance.permissions';
import { stationPolicies } from '../application/permissions/stations.permissions';
import { workforcePolicies } from '../application/permissions/workforce.permissions';

/**
 * Which policy guards each route, for the role gate: when that policy depends on the role alone
 * (`roles(...)`, `writePolicy(roles(...))`), any other role gets 403 before its body is parsed
 * or validated, so schemas cannot be probed by roles that have no business there. The services
 * still check the same policy (and the jurisdiction); this only moves the role check forward.
 * Routes not listed here: writes are refused to the read-only roles, reads are open to every role.
 * Keys are `METHOD fastify-route-pattern`.
 */
const ROUTE_POLICIES: Record<string, Policy<any>> = {
  // operations
  'GET /api/v1/projections': operationsPolicies.viewProjections,
  'POST /api/v1/projections/:name/rebuild': operationsPolicies.rebuildProjection,
  'GET /api/v1/audit/verify': operationsPolicies.verifyLog,
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
    geographyPolicies.write,
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
    workforcePolicies.write,
  ),
  // stations
  ...each(
    ['POST /api/v1/stations', 'PUT /api/v1/stations/:id/standard/:item', 'POST /api/v1/stations/:id/open', 'POST /api/v1/stations/:id/quality'],
    stationPolicies.write,
  ),
  // visits
  'POST /api/v1/schedule-policies': visitPolicies.setSchedulePolicy,
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
    communityPolicies.write,
  ),
  // performance
  'POST /api/v1/scoring-policies': performancePolicies.setScoringPolicy,
  'POST /api/v1/assessments': performancePolicies.assess,
  'POST /api/v1/assessments/outcomes': performancePolicies.assess,
  'POST /api/v1/performance/publish': performancePolicies.publish,
  'GET /api/v1/performance': performancePolicies.readAll,
  'GET /api/v1/performance.csv': performancePolicies.readAll,
  // detection
  'POST /api/v1/data-imports': detectionPolicies.import,
  'GET /api/v1/data-imports': detectionPolicies.readImports,
  'GET /api/v1/data-imports/:id': detectionPolicies.readImports,
  'GET /api/v1/data-imports/:id/rejections': detectionPolicies.readImports,
  'GET /api/v1/data-imports/:id/rejections.csv': detectionPolicies.readImports,
  'POST /api/v1/findings/:id/place': detectionPolicies.act,
  'POST /api/v1/tasks/:id/outcome': detectionPolicies.act,
  'POST /api/v1/detection-policies': detectionPolicies.setPolicy,
  // assistance
  'POST /api/v1/policies': assistancePolicies.setPolicy,
  'POST /api/v1/calendars': assistancePolicies.setPolicy,
  'POST /api/v1/cases': assistancePolicies.apply,
  'POST /api/v1/cases/:id/accept': assistancePolicies.accept,
  'POST /api/v1/cases/:id/extend-review': assistancePolicies.accept,
  ...each(
    [
      'POST /api/v1/cases/:id/facts',
      'POST /api/v1/cases/:id/home-investigations',
      'POST /api/v1/cases/:id/neighbour-interviews',
      'POST /api/v1/cases/:id/data-checks',
    ],
    assistancePolicies.investigate,
  ),
  ...each(['POST /api/v1/cases/:id/notice', 'POST /api/v1/cases/:id/objections', 'POST /api/v1/cases/:id/refusal-notice'], assistancePolicies.notice),
  ...each(
    [
      'POST /api/v1/cases/:id/decision',
      'POST /api/v1/cases/:id/emergency-grant',
      'POST /api/v1/cases/:id/emergency-completion',
      'POST /api/v1/cases/:id/review',
    ],
    assistancePolicies.decide,
  ),
  'POST /api/v1/audit/replay': assistancePolicies.replay,
  // ledger (auditors post the signed head they kept to have it checked: a read, not a write)
  ...each(
    [
      'GET /api/v1/audit/ledger/heads/latest',
      'GET /api/v1/audit/ledger/heads',
      'GET /api/v1/audit/ledger/heads/daily',
      'GET /api/v1/audit/ledger/proofs/inclusion',
      'GET /api/v1/audit/ledger/proofs/consistency',
      'POST /api/v1/audit/ledger/verify',
    ],
    ledgerPolicies.read,
  ),
};

function each(keys: string[], policy: Policy<any>): Record<string, Policy<any>> {
  return Object.fromEntries(keys.map((k) => [k, policy]));
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The roles that may ever call `method route`, or null when any role may (the service decides).
 * A listed policy without a role list (a jurisdiction check) leaves writes to the default rule.
 */
export function rolesAllowedOn(method: string, route: string, allRoles: readonly Role[]): readonly Role[] | null {
  const policy = ROUTE_POLICIES[`${method} ${route}`];
  const listed = policy ? allowedRolesOf(policy) : undefined;
  if (listed) return listed;
  if (WRITE_METHODS.has(method)) return allRoles.filter((r) => !READ_ONLY_ROLES.includes(r));
  return null;
}

/** For tests: every route key the table names. */
export const declaredRouteKeys = () => Object.keys(ROUTE_POLICIES);
