/**
 * The steps of the demo's assistance cases (src/demo/chapters/case-steps.ts) sent through the
 * public REST API, as the county's front ends send them: each step by the person the story names
 * (the town's social worker, the town official, the linked county worker, the bureau officer),
 * with their own token, on the story's day (the DayBarrier sets the service's clock). The service
 * draws the ids: the case id comes back in the application's answer, the decision's status and
 * the payment in force in the decision's and the review's.
 *
 * Every step is a documented endpoint (POST /api/v1/cases, /cases/{id}/accept, /facts,
 * /data-checks, /home-investigations, /notice, /objections, /submit, /check, /decision,
 * /refusal-notice, /emergency-grant, /emergency-completion, /review, /payments;
 * POST /api/v1/reserve-funds/{townId}/top-ups; GET and POST /api/v1/calendars and /policies;
 * GET /api/v1/workers/{id}). A step's route answers the case as it now stands (and logs that read
 * of personal data), where the in-process load reads nothing back: the same events either way.
 */
import type { Actor, Role } from '../../src/application/actor';
import type { CaseAnswer, CaseSteps, StepAt } from '../../src/demo/chapters/case-steps';
import type { DayBarrier } from './day-barrier';
import type { HttpLoadClient } from './http-client';

export function caseStepsOverHttp(
  client: HttpLoadClient,
  sign: (sub: string, role: Role) => string | Promise<string>,
  barrier: DayBarrier,
  admin: string,
): CaseSteps {
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
  /** One step: the actor's token first (it is not a request), then the request on the step's day. */
  const send = async <T = unknown>(s: StepAt, path: string, body: unknown): Promise<T> => {
    const token = await tokenOf(s.actor);
    return barrier.step(s.day, () => client.post<T>(path, token, body));
  };
  const step = (caseId: string, name: string) => `/api/v1/cases/${caseId}/${name}`;
  const answer = (c: CaseAnswer): CaseAnswer => ({ status: c.status, paymentInForce: c.paymentInForce });

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
    accept: async (s, caseId, acceptedOn) => void (await send(s, step(caseId, 'accept'), { acceptedOn })),
    recordFacts: async (s, caseId, facts) => void (await send(s, step(caseId, 'facts'), { facts })),
    recordDataCheck: async (s, caseId, input) => void (await send(s, step(caseId, 'data-checks'), input)),
    recordHomeInvestigation: async (s, caseId, input) => void (await send(s, step(caseId, 'home-investigations'), input)),
    postNotice: async (s, caseId, postedOn) => void (await send(s, step(caseId, 'notice'), { postedOn })),
    recordObjection: async (s, caseId, input) => void (await send(s, step(caseId, 'objections'), input)),
    submit: async (s, caseId) => void (await send(s, step(caseId, 'submit'), {})),
    check: async (s, caseId, input) => void (await send(s, step(caseId, 'check'), input)),
    decide: async (s, caseId, input) => answer(await send<CaseAnswer>(s, step(caseId, 'decision'), input)),
    notifyRefusal: async (s, caseId, on) => void (await send(s, step(caseId, 'refusal-notice'), { on })),
    grantEmergency: async (s, caseId, input) => void (await send(s, step(caseId, 'emergency-grant'), input)),
    completeEmergency: async (s, caseId) => void (await send(s, step(caseId, 'emergency-completion'), {})),
    review: async (s, caseId) => answer(await send<CaseAnswer>(s, step(caseId, 'review'), {})),
    recordPayment: async (s, caseId, input) => void (await send(s, step(caseId, 'payments'), input)),

    sideBySide: (items, work) => barrier.sideBySide(items, work),
  };
}
