/**
 * Where the steps of the demo's assistance cases go (CaseDesk, the rules, the towns' reserve
 * funds): in `npm run seed:demo` the application services in this process (`serviceSteps`), in
 * `npm run bench:load-http` the public REST API (bench/http-load/story-steps-over-http.ts). The
 * story (runPlan, runStories, planCases, fundTowns, registerRules) is the same either way: it says
 * who does what on which county day, and the backend sends it.
 */
import type { CasesService } from '../../application/assistance/cases.service';
import type { DemoContext } from '../context';
import { DEMO_ADMIN } from '../demo-actors';
import { DEMO_DATE } from '../demo-time';
import { commandAt, sideBySideInProcess, type SideBySide, type StepAt } from './story-steps';

/** What a chapter of cases reads of its context: its randomness, its command contexts, its world. */
export type CaseContext = Pick<DemoContext, 'rng' | 'at' | 'world'>;

/** What the story reads of a decision's answer. */
export interface CaseAnswer {
  status: string;
  paymentInForce: { from: string } | null;
}

type Input<M extends keyof CasesService, I extends number = 1> = Parameters<CasesService[M]>[I];

export interface CaseSteps {
  /** A worker's links (挂联 towns, linked village workers), read as the bureau. */
  workerLinks(workerId: string): Promise<readonly { kind: string; targetId: string }[]>;
  calendarIds(): Promise<string[]>;
  policyIds(): Promise<string[]>;
  addCalendar(at: StepAt, calendar: unknown): Promise<unknown>;
  addPolicy(at: StepAt, policy: unknown): Promise<unknown>;
  topUp(at: StepAt, townId: string, input: { fen: number; reference: string }): Promise<unknown>;

  apply(at: StepAt, input: Input<'applyReturningId'>): Promise<{ caseId: string }>;
  accept(at: StepAt, caseId: string, acceptedOn: string): Promise<void>;
  recordFacts(at: StepAt, caseId: string, facts: unknown): Promise<void>;
  recordDataCheck(at: StepAt, caseId: string, input: Input<'recordDataCheckWithoutReadBack', 2>): Promise<void>;
  recordHomeInvestigation(at: StepAt, caseId: string, input: Input<'recordHomeInvestigationWithoutReadBack', 2>): Promise<void>;
  postNotice(at: StepAt, caseId: string, postedOn: string): Promise<void>;
  recordObjection(at: StepAt, caseId: string, input: Input<'recordObjectionWithoutReadBack', 2>): Promise<void>;
  submit(at: StepAt, caseId: string): Promise<void>;
  check(at: StepAt, caseId: string, input: Input<'checkWithoutReadBack', 2>): Promise<void>;
  decide(at: StepAt, caseId: string, input: { writtenReasons?: string }): Promise<CaseAnswer>;
  notifyRefusal(at: StepAt, caseId: string, on: string): Promise<void>;
  grantEmergency(at: StepAt, caseId: string, input: { facts: unknown }): Promise<void>;
  completeEmergency(at: StepAt, caseId: string): Promise<void>;
  review(at: StepAt, caseId: string): Promise<CaseAnswer>;
  recordPayment(at: StepAt, caseId: string, input: { month?: string; paidOn: string }): Promise<void>;

  sideBySide: SideBySide;
}

/**
 * The steps as commands of the application services in this process (what `npm run seed:demo`
 * does), each dated at its story day with a command id derived from its label, so a re-run
 * appends nothing; the bulk variants that read nothing back.
 */
export function serviceSteps(ctx: CaseContext & Pick<DemoContext, 'services' | 'inFlight'>): CaseSteps {
  const { cases, policyRegistry, reserveFunds, workforce } = ctx.services;
  const at = commandAt(ctx);
  return {
    async workerLinks(workerId) {
      // The bureau reads on the demo's last day: the world lists workers, not their links.
      const reader = { actor: DEMO_ADMIN, now: new Date(`${DEMO_DATE}T02:00:00.000Z`) };
      return (await workforce.getWorker(reader, workerId)).links;
    },
    calendarIds: async () => (await policyRegistry.listCalendars()).map((c) => c.id),
    policyIds: async () => (await policyRegistry.listPolicies()).map((p) => p.id),
    addCalendar: (s, calendar) => policyRegistry.addCalendar(at(s), calendar),
    addPolicy: (s, policy) => policyRegistry.addPolicy(at(s), policy),
    topUp: (s, townId, input) => reserveFunds.topUp(at(s), townId, input),

    apply: (s, input) => cases.applyReturningId(at(s), input),
    accept: (s, caseId, acceptedOn) => cases.acceptWithoutReadBack(at(s), caseId, acceptedOn),
    recordFacts: (s, caseId, facts) => cases.recordFactsWithoutReadBack(at(s), caseId, facts),
    recordDataCheck: (s, caseId, input) => cases.recordDataCheckWithoutReadBack(at(s), caseId, input),
    recordHomeInvestigation: (s, caseId, input) => cases.recordHomeInvestigationWithoutReadBack(at(s), caseId, input),
    postNotice: (s, caseId, postedOn) => cases.postNoticeWithoutReadBack(at(s), caseId, postedOn),
    recordObjection: (s, caseId, input) => cases.recordObjectionWithoutReadBack(at(s), caseId, input),
    submit: (s, caseId) => cases.submitWithoutReadBack(at(s), caseId),
    check: (s, caseId, input) => cases.checkWithoutReadBack(at(s), caseId, input),
    decide: (s, caseId, input) => cases.decide(at(s), caseId, input),
    notifyRefusal: (s, caseId, on) => cases.notifyRefusalWithoutReadBack(at(s), caseId, on),
    grantEmergency: (s, caseId, input) => cases.grantEmergencyWithoutReadBack(at(s), caseId, input),
    completeEmergency: (s, caseId) => cases.completeEmergencyWithoutReadBack(at(s), caseId, {}),
    review: (s, caseId) => cases.review(at(s), caseId, {}),
    recordPayment: async (s, caseId, input) => void (await cases.recordPaymentReturningId(at(s), caseId, input)),

    sideBySide: sideBySideInProcess(ctx),
  };
}
