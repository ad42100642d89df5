import { yieldEvery } from '../yield-to-event-loop';
import type { Kysely } from 'kysely';
import type { CaseDecided } from '../../domain/assistance/case.events';
import { evaluateEligibility } from '../../domain/assistance/eligibility/eligibility';
import { policyCanonicalJson, policyContentHash } from '../../domain/policy/policy-hash';
import { definePolicyVersion } from '../../domain/policy/policy-version';
import { assistanceCounts, getDecision, listDecisions, type DecisionFilter } from '../../projections/assistance/assistance.queries';
import { authorize } from '../authorization';
import { countyDate } from '../clock';
import type { CommandContext } from '../command-handler';
import { NotFoundError } from '../errors';
import { START, type EventStore, type Position } from '../event-store';
import { canSee, visibility, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import { BENEFICIARY_FIELDS } from '../privacy/classification';
import type { Privacy } from '../privacy/privacy';
import type { PageRequest } from '../pagination';
import { assistancePolicies } from './assistance.policies';
import { checkPayments } from './payment-replay';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

export interface ReplayMismatch {
  decisionId: string;
  caseId: string;
  eventId: string;
  reason: string;
}

/** Decisions for auditors: lists, exports, counts, and the replay that re-runs every one. */
export class AuditService {
  constructor(
    private readonly store: EventStore,
    private readonly db: Kysely<any>,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly privacy: Privacy,
  ) {}

  /** Decisions are a household's personal data: filtered to the caller's groups, masked by the policy table. */
  async list(context: Reader, filter: DecisionFilter, page: PageRequest) {
    await authorize(context.actor, assistancePolicies.read, filter, 'read decisions');
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const v = visibility(j);
    const result = await listDecisions(this.db, { ...filter, townIds: v.townIds, groupIds: v.groupIds }, page);
    return { items: await this.mask(context, j, 'GET /decisions', result.items), nextCursor: result.nextCursor };
  }

  async get(context: Reader, id: string) {
    await authorize(context.actor, assistancePolicies.read, { id }, 'read decisions');
    const decision = await getDecision(this.db, id);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!decision || !canSee(j, { townId: decision.townId, villageId: decision.villageId, groupId: decision.groupId ?? null })) throw new NotFoundError('decision', id);
    return (await this.mask(context, j, 'GET /decisions/{id}', [decision]))[0]!;
  }

  async *export(context: Reader, filter: DecisionFilter) {
    await authorize(context.actor, assistancePolicies.read, filter, 'export decisions');
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const v = visibility(j);
    // Page by page, so a year of decisions never sits in memory and the access log gets one insert a page.
    let cursor: string | undefined;
    for (;;) {
      const page = await listDecisions(this.db, { ...filter, townIds: v.townIds, groupIds: v.groupIds }, { limit: 500, cursor });
      yield* await this.mask(context, j, 'GET /decisions/export', page.items);
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  private async mask<T extends { decisionId?: unknown; townId: string; villageId: string; groupId?: string | null; householdId?: string | null }>(context: Reader, j: Jurisdiction, route: string, decisions: readonly T[]) {
    const shown = await this.privacy.showAll(
      context,
      j,
      route,
      decisions.map((d) => ({
        record: d,
        subjectKind: 'beneficiary' as const,
        fields: BENEFICIARY_FIELDS,
        place: { townId: d.townId, villageId: d.villageId, groupId: d.groupId ?? null },
        subjectId: String(d.decisionId),
        householdId: d.householdId ?? null,
      })),
    );
    return shown.map((s) => ({ ...s.value, personalDataMasked: s.masked }));
  }

  async counts(context: Reader, from: string, to: string) {
    await authorize(context.actor, assistancePolicies.read, undefined, 'read assistance counts');
    const v = visibility(await this.jurisdictions.resolve(context.actor, countyDate(context.now)));
    return assistanceCounts(this.db, from, to, v.townIds);
  }

  /**
   * Re-runs every decision taken in [from, to] from the event history alone: the policy version
   * it names (whose stored content must still hash to what the decision recorded) and the facts
   * it recorded. Any difference is a mismatch; the hash chains are verified too.
   */
  async replay(context: Reader, range: { from: string; to: string }) {
    await authorize(context.actor, assistancePolicies.replay, range, 'replay decisions');
    const policies = new Map<string, { body: Record<string, unknown>; contentHash: string }>();
    const decisions: { eventId: string; data: CaseDecided }[] = [];
    // Decisions and payments of every case, in log order, for the payment check.
    const moneyEvents: { eventId: string; type: string; data: Record<string, unknown> }[] = [];
    let position: Position = START;
    // Reading and re-running rules is CPU work: let other requests in between pages and decisions.
    const breathe = yieldEvery(50);
    const breathePage = yieldEvery(1);
    for (;;) {
      await breathePage();
      const page = await this.store.readAll(position, 1000, { types: ['PolicyVersionAdded', 'CaseDecided', 'PaymentRecorded', 'DecisionMigrated'] });
      for (const e of page.events) {
        if (e.type !== 'PolicyVersionAdded') moneyEvents.push({ eventId: e.eventId, type: e.type, data: e.data });
        if (e.type === 'PaymentRecorded' || e.type === 'DecisionMigrated') continue;
        if (e.type === 'PolicyVersionAdded') {
          const data = e.data as { policy: Record<string, unknown>; contentHash: string };
          policies.set(String(data.policy.id), { body: data.policy, contentHash: data.contentHash });
        } else {
          const d = e.data as unknown as CaseDecided;
          if (d.decisionDate >= range.from && d.decisionDate <= range.to) decisions.push({ eventId: e.eventId, data: d });
        }
      }
      if (page.events.length === 0 || page.next === position) break;
      position = page.next;
    }

    const mismatches: ReplayMismatch[] = [];
    for (const { eventId, data: d } of decisions) {
      await breathe();
      const fail = (reason: string) => mismatches.push({ decisionId: d.decisionId, caseId: d.caseId, eventId, reason });
      const stored = policies.get(d.policy.id);
      if (!stored) {
        fail(`policy version ${d.policy.id} is not in the history`);
        continue;
      }
      try {
        const policy = definePolicyVersion(stored.body);
        const hash = policyContentHash(policy);
        if (hash !== d.policy.contentHash || hash !== stored.contentHash) {
          fail(`policy version ${d.policy.id} no longer hashes to ${d.policy.contentHash}`);
          continue;
        }
        const rerun = evaluateEligibility(policy, { program: d.program, decisionDate: d.decisionDate, facts: d.facts });
        if (policyCanonicalJson(rerun) !== policyCanonicalJson(d.eligibility)) {
          const outcome = rerun.outcome !== (d.eligibility as { outcome?: string }).outcome ? `outcome ${String((d.eligibility as { outcome?: string }).outcome)} → ${rerun.outcome}` : 'rule results or amount differ';
          fail(`re-running the rules on the recorded facts gives a different result: ${outcome}`);
          continue;
        }
        const expected = rerun.outcome === 'eligible' && rerun.amount ? ('monthlyFen' in rerun.amount ? rerun.amount.monthlyFen : rerun.amount.oneOffFen) : null;
        const paid = d.payment ? (d.payment.kind === 'monthly' ? d.payment.monthlyFen : d.payment.fen) : null;
        if (paid !== null && paid !== expected) fail(`the payment (${paid} fen) is not the computed amount (${String(expected)} fen)`);
      } catch (error) {
        fail(`the decision cannot be re-run: ${(error as Error).message}`);
      }
    }
    const money = checkPayments(moneyEvents, range);
    mismatches.push(...money.mismatches);
    const chains = await this.store.verify();
    return {
      range,
      decisionsChecked: decisions.length,
      paymentsChecked: money.paymentsChecked,
      // Taken over from the county's existing roll: not re-run (no recorded facts or policy here), listed with their source.
      migrated: { count: money.migrated.length, decisions: money.migrated },
      mismatches,
      chains: { ok: chains.broken.length === 0, streamsChecked: chains.streamsChecked, eventsChecked: chains.eventsChecked, broken: chains.broken },
      ok: mismatches.length === 0 && chains.broken.length === 0,
    };
  }
}
