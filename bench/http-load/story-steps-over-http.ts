/**
 * The steps of the demo's story chapters sent through the public REST API, as the county's front
 * ends send them.
 *
 * Cases (src/demo/chapters/case-steps.ts): each step by the person the story names
 * (the town's social worker, the town official, the linked county worker, the bureau officer),
 * with their own token, on the story's day (the DayBarrier sets the service's clock). The service
 * draws the ids: the case id comes back in the application's answer, the decision's status and
 * the payment in force in the decision's and the review's.
 *
 * Every step is a documented endpoint (POST /api/v1/cases, /cases/{id}/accept, /facts,
 * /data-checks, /home-investigations, /notice, /objections, /submit, /check, /decision,
 * /refusal-notice, /emergency-grant, /emergency-completion, /review, /payments;
 * POST /api/v1/reserve-funds/{townId}/top-ups; GET and POST /api/v1/calendars and /policies;
 * GET /api/v1/workers/{id}). The desk's app asks for no case back after a step
 * (`Prefer: return=minimal`: 204 and the new ETag, no read of personal data) but after a decision
 * or a review, whose outcome the story reads, as the in-process load does: the same events either way.
 *
 * Imports (src/demo/chapters/imports.ts): the bureau's batches as JSON arrays of rows
 * (POST /api/v1/data-imports?source=&batchId=), their findings (GET /api/v1/findings?import=,
 * page by page), each task as it stands on the day it is read (GET /api/v1/tasks/{id}) and its
 * outcome by the worker responsible that day (POST /api/v1/tasks/{id}/outcome). The service
 * derives an import's id from its content, and findings' and tasks' from the import: the same ids
 * as in process, so the findings are answered in the same order.
 *
 * Community (src/demo/chapters/community.ts): the bureau forms the volunteer teams
 * (POST /api/v1/volunteer-teams), registers the volunteers (POST /api/v1/volunteers) and their
 * memberships (POST /api/v1/volunteer-teams/{id}/members), the mobilisable counts
 * (POST /api/v1/mobilisable-counts), the projects (POST /api/v1/projects) and what they spend
 * (POST /api/v1/projects/{id}/spendings), the donations (POST /api/v1/donations) and where they
 * went (POST /api/v1/donations/{id}/allocations), the service activities
 * (POST /api/v1/service-records); ids from the answers.
 *
 * Assessments (src/demo/chapters/assessments.ts): the evaluation committee's scores
 * (POST /api/v1/assessments), the publication (POST /api/v1/performance/publish) and the outcomes
 * that follow the ratings (POST /api/v1/assessments/outcomes), with the committee's token.
 */
import type { Actor, Role } from '../../src/application/actor';
import type { CaseAnswer, CaseSteps } from '../../src/demo/chapters/case-steps';
import type { StepAt } from '../../src/demo/chapters/story-steps';
import type { ImportedFinding, ImportSteps, ImportTask } from '../../src/demo/chapters/imports';
import type { AssessmentSteps, PublishedScore } from '../../src/demo/chapters/assessments';
import type { CommunitySteps } from '../../src/demo/chapters/community';
import { MAX_PAGE_SIZE } from '../../src/application/pagination';
import type { DayBarrier } from './day-barrier';
import type { HttpLoadClient } from './http-client';

/** RFC 7240: the case desk's app needs no case back after a step it does not read. */
const MINIMAL = { prefer: 'return=minimal' };

/** Sends a story's requests: each with its actor's token, on its day behind the barrier. */
export function storySender(client: HttpLoadClient, sign: (sub: string, role: Role) => string | Promise<string>, barrier: DayBarrier) {
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (actor: Actor) => {
    const key = `${actor.role}:${actor.id}`;
    let token = tokens.get(key);
    if (!token) {
      token = Promise.resolve(sign(actor.id, actor.role as Role));
      tokens.set(key, token);
    }
    return token;
  };
  return {
    client,
    barrier,
    /** One step: the actor's token first (it is not a request), then the request on the step's day. */
    send: async <T = unknown>(s: StepAt, path: string, body: unknown, headers?: Record<string, string>): Promise<T> => {
      const token = await tokenOf(s.actor);
      return barrier.step(s.day, () => client.post<T>(path, token, body, headers));
    },
    /** A read on the step's day (what it answers may depend on the day). */
    read: async <T>(s: StepAt, path: string): Promise<T> => {
      const token = await tokenOf(s.actor);
      return barrier.step(s.day, () => client.get<T>(path, token));
    },
  };
}
export type StorySender = ReturnType<typeof storySender>;

export function caseStepsOverHttp(sender: StorySender, admin: string): CaseSteps {
  const { client, barrier, send } = sender;
  const step = (caseId: string, name: string) => `/api/v1/cases/${caseId}/${name}`;
  const answer = (c: CaseAnswer): CaseAnswer => ({ status: c.status, paymentInForce: c.paymentInForce });
  /** A step whose answer the story does not read: the desk's app asks for none (204 and the ETag). */
  const quietly = async (s: StepAt, caseId: string, name: string, body: unknown) => void (await send(s, step(caseId, name), body, MINIMAL));

  return {
    async workerLinks(workerId) {
      return (await client.get<{ links?: { kind: string; targetId: string }[] }>(`/api/v1/workers/${workerId}`, admin)).links ?? [];
    },
    calendarIds: async () => (await client.get<{ items: { id: string }[] }>('/api/v1/calendars', admin)).items.map((c) => c.id),
    policyIds: async () => (await client.get<{ items: { id: string }[] }>('/api/v1/policies', admin)).items.map((p) => p.id),
    addCalendar: (s, calendar) => send(s, '/api/v1/calendars', calendar),
    addPolicy: (s, policy) => send(s, '/api/v1/policies', policy),
    topUp: (s, townId, input) => send(s, `/api/v1/reserve-funds/${townId}/top-ups`, input),

    apply: async (s, input) => ({ caseId: (await send<{ id: string }>(s, '/api/v1/cases', input)).id }),
    accept: (s, caseId, acceptedOn) => quietly(s, caseId, 'accept', { acceptedOn }),
    recordFacts: (s, caseId, facts) => quietly(s, caseId, 'facts', { facts }),
    recordDataCheck: (s, caseId, input) => quietly(s, caseId, 'data-checks', input),
    recordHomeInvestigation: (s, caseId, input) => quietly(s, caseId, 'home-investigations', input),
    postNotice: (s, caseId, postedOn) => quietly(s, caseId, 'notice', { postedOn }),
    recordObjection: (s, caseId, input) => quietly(s, caseId, 'objections', input),
    submit: (s, caseId) => quietly(s, caseId, 'submit', {}),
    check: (s, caseId, input) => quietly(s, caseId, 'check', input),
    decide: async (s, caseId, input) => answer(await send<CaseAnswer>(s, step(caseId, 'decision'), input)),
    notifyRefusal: (s, caseId, on) => quietly(s, caseId, 'refusal-notice', { on }),
    grantEmergency: (s, caseId, input) => quietly(s, caseId, 'emergency-grant', input),
    completeEmergency: (s, caseId) => quietly(s, caseId, 'emergency-completion', {}),
    review: async (s, caseId) => answer(await send<CaseAnswer>(s, step(caseId, 'review'), {})),
    recordPayment: (s, caseId, input) => quietly(s, caseId, 'payments', input),

    sideBySide: (items, work) => barrier.sideBySide(items, work),
  };
}

export function importStepsOverHttp(sender: StorySender): ImportSteps {
  const { send, read } = sender;
  return {
    async importRows(s, input) {
      const query = new URLSearchParams({ source: input.source, batchId: input.batchId });
      return send<{ id: string; rowCount: number; rejected: number }>(s, `/api/v1/data-imports?${query.toString()}`, input.rows);
    },
    async findingsOf(s, importId) {
      const findings: ImportedFinding[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ import: importId, limit: String(MAX_PAGE_SIZE), ...(cursor ? { cursor } : {}) });
        const page: { items: ImportedFinding[]; nextCursor: string | null } = await read(s, `/api/v1/findings?${query.toString()}`);
        findings.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return findings;
    },
    task: (s, taskId) => read<ImportTask>(s, `/api/v1/tasks/${taskId}`),
    async recordOutcome(s, taskId, { on, outcome }) {
      const { kind, ...rest } = outcome;
      await send(s, `/api/v1/tasks/${taskId}/outcome`, { outcome: kind, on, ...rest });
    },
  };
}

export function assessmentStepsOverHttp(sender: StorySender): AssessmentSteps {
  const { send, barrier } = sender;
  return {
    recordAssessment: async (s, input) => void (await send(s, '/api/v1/assessments', input)),
    publish: async (s, period) => (await send<{ items: PublishedScore[] }>(s, '/api/v1/performance/publish', { period })).items,
    recordOutcome: async (s, input) => void (await send(s, '/api/v1/assessments/outcomes', input)),
    sideBySide: (items, work) => barrier.sideBySide(items, work),
  };
}

export function communityStepsOverHttp(sender: StorySender): CommunitySteps {
  const { send, barrier } = sender;
  const created = async (s: StepAt, path: string, body: unknown) => ({ id: (await send<{ id: string }>(s, path, body)).id });
  return {
    formTeam: (s, input) => created(s, '/api/v1/volunteer-teams', input),
    registerVolunteer: (s, input) => created(s, '/api/v1/volunteers', input),
    joinTeam: async (s, teamId, input) => void (await send(s, `/api/v1/volunteer-teams/${teamId}/members`, input)),
    recordMobilisable: async (s, input) => void (await send(s, '/api/v1/mobilisable-counts', input)),
    registerProject: (s, input) => created(s, '/api/v1/projects', input),
    receiveDonation: (s, input) => created(s, '/api/v1/donations', input),
    allocate: async (s, donationId, input) => void (await send(s, `/api/v1/donations/${donationId}/allocations`, input)),
    spend: async (s, projectId, input) => void (await send(s, `/api/v1/projects/${projectId}/spendings`, input)),
    recordService: async (s, input) => void (await send(s, '/api/v1/service-records', input)),
    sideBySide: (items, work) => barrier.sideBySide(items, work),
  };
}
