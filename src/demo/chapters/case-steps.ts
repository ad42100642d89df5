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
  recordDataCheck(at: StepAt, caseId: string, input: Input<'recordDataCheck', 2>): Promise<void>;
  recordHomeInvestigation(at: StepAt, caseId: string, input: Input<'recordHomeInvestigation', 2>): Promise<void>;
  postNotice(at: StepAt, caseId: string, postedOn: string): Promise<void>;
  recordObjection(at: StepAt, caseId: string, input: Input<'recordObjection', 2>): Promise<void>;
  submit(at: StepAt, caseId: string): Promise<void>;
  check(at: StepAt, caseId: string, input: Input<'check', 2>): Promise<void>;
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
 * appends nothing. A step reads nothing back (as a front end saying `Prefer: return=minimal`),
 * but for a decision or a review, whose outcome the story goes on from.
 */
export function serviceSteps(ctx: CaseContext & Pick<DemoContext, 'services' | 'inFlight'>): CaseSteps {
  const { cases, policyRegistry, reserveFunds, workforce } = ctx.services;
  const at = commandAt(ctx);
  const answered = async (context: ReturnType<typeof at>, caseId: string, step: (context: ReturnType<typeof at>) => Promise<unknown>): Promise<CaseAnswer> => {
    await step(context);
    return cases.get(context, caseId);
  };
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
    accept: async (s, caseId, acceptedOn) => void (await cases.accept(at(s), caseId, acceptedOn)),
    recordFacts: async (s, caseId, facts) => void (await cases.recordFacts(at(s), caseId, facts)),
    recordDataCheck: async (s, caseId, input) => void (await cases.recordDataCheck(at(s), caseId, input)),
    recordHomeInvestigation: async (s, caseId, input) => void (await cases.recordHomeInvestigation(at(s), caseId, input)),
    postNotice: async (s, caseId, postedOn) => void (await cases.postNotice(at(s), caseId, postedOn)),
    recordObjection: async (s, caseId, input) => void (await cases.recordObjection(at(s), caseId, input)),
    submit: async (s, caseId) => void (await cases.submit(at(s), caseId)),
    check: async (s, caseId, input) => void (await cases.check(at(s), caseId, input)),
    decide: (s, caseId, input) => answered(at(s), caseId, (c) => cases.decide(c, caseId, input)),
    notifyRefusal: async (s, caseId, on) => void (await cases.notifyRefusal(at(s), caseId, on)),
    grantEmergency: async (s, caseId, input) => void (await cases.grantEmergency(at(s), caseId, input)),
    completeEmergency: async (s, caseId) => void (await cases.completeEmergency(at(s), caseId, {})),
    review: (s, caseId) => answered(at(s), caseId, (c) => cases.review(c, caseId, {})),
    recordPayment: async (s, caseId, input) => void (await cases.recordPayment(at(s), caseId, input)),

    sideBySide: sideBySideInProcess(ctx),
  };
}
