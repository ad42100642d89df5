import { yieldEvery } from '../yield-to-event-loop';
import { caseStreamId, type CaseDecided } from '../../domain/assistance/case.events';
import { evaluateEligibility } from '../../domain/assistance/eligibility/eligibility';
import { policyCanonicalJson, policyContentHash } from '../../domain/shared/policy/policy-hash';
import { definePolicyVersion } from '../../domain/assistance/policy/policy-version';
import { assistanceCounts, getDecision, listDecisions, type DecisionFilter } from '../../projections/assistance/assistance.queries';
import { authorize } from '../permissions/permissions';
import { countyDate } from '../clock';
import type { CommandContext } from '../command-handler';
import { NotFoundError } from '../errors';
import { START, type EventStore, type Position } from '../event-store';
import { canSee, visibility, type Jurisdiction, type JurisdictionResolver } from '../jurisdiction';
import { BENEFICIARY_FIELDS } from '../privacy/classification';
import type { Privacy } from '../privacy/privacy';
import type { PageRequest } from '../pagination';
import { assistancePermissions } from '../permissions/assistance.permissions';
import { checkPayments } from './payment-replay';
import type { Db } from '../db';
import { dataOf } from '../stored-events';
import type { RegistryEvent } from '../../domain/assistance/policy/policy-registry';

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
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly privacy: Privacy,
    /** How long a replay waits for decisions the gap-safe read has not reached yet. */
    private readonly replayCatchUpMs = 10_000,
  ) {}

  /** Decisions are a household's personal data: filtered to the caller's groups, masked by the policy table. */
  async list(context: Reader, filter: DecisionFilter, page: PageRequest) {
    await authorize(context.actor, assistancePermissions.read, filter, 'read decisions');
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const v = visibility(j);
    const result = await listDecisions(this.db, { ...filter, townIds: v.townIds, groupIds: v.groupIds }, page);
    return { items: await this.mask(context, j, 'GET /decisions', result.items), nextCursor: result.nextCursor };
  }

  async get(context: Reader, id: string) {
    await authorize(context.actor, assistancePermissions.read, { id }, 'read decisions');
    const decision = await getDecision(this.db, id);
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    if (!decision || !canSee(j, { townId: decision.townId, villageId: decision.villageId, groupId: decision.groupId ?? null }))
      throw new NotFoundError('decision', id);
    return (await this.mask(context, j, 'GET /decisions/{id}', [decision]))[0]!;
  }

  async *export(context: Reader, filter: DecisionFilter) {
    await authorize(context.actor, assistancePermissions.read, filter, 'export decisions');
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

  private async mask<T extends { decisionId?: unknown; townId: string; villageId: string; groupId?: string | null; householdId?: string | null }>(
    context: Reader,
    j: Jurisdiction,
    route: string,
    decisions: readonly T[],
  ) {
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
    await authorize(context.actor, assistancePermissions.read, undefined, 'read assistance counts');
    const v = visibility(await this.jurisdictions.resolve(context.actor, countyDate(context.now)));
    return assistanceCounts(this.db, from, to, v.townIds);
  }

  /**
   * Re-runs every decision taken in [from, to] (no range: every decision) from the event history
   * alone: the policy version it names (whose stored content must still hash to what the decision
   * recorded) and the facts it recorded. Any difference is a mismatch; the hash chains and MACs are
   * verified too.
   *
   * A replay must not be able to check nothing: the decisions are taken from the global log (the
   * order projections and the ledger follow) and counted again from the case streams themselves.
   * Both counts are reported, and a decision one path has and the other lacks is a failure.
   */
  async replay(context: Reader, range: { from?: string; to?: string } = {}) {
    await authorize(context.actor, assistancePermissions.replay, range, 'replay decisions');
    const from = range.from ?? '0000-01-01';
    const to = range.to ?? '9999-12-31';
    const inRange = (d: CaseDecided) => d.decisionDate >= from && d.decisionDate <= to;

    const inStreams = new Map<string, { caseStreamId: string; data: CaseDecided }>();
    for await (const e of this.store.readStreamsByPrefix(caseStreamId(''), { types: ['CaseDecided'] })) {
      const d = dataOf<CaseDecided>(e);
      if (inRange(d)) inStreams.set(e.eventId, { caseStreamId: e.streamId, data: d });
    }
    const fromLog = await this.readDecisionsFromLog(inRange, inStreams);

    const mismatches: ReplayMismatch[] = [];
    for (const [eventId, { data: d }] of inStreams) {
      if (!fromLog.decisions.has(eventId)) {
        mismatches.push({
          decisionId: d.decisionId,
          caseId: d.caseId,
          eventId,
          reason:
            'the decision is in its case stream but the global log did not reach it: positions are broken, or a transaction open elsewhere holds the gap-safe reader back',
        });
      }
    }
    let rerun = 0;
    // Re-running rules is CPU work: let other requests in between decisions.
    const breathe = yieldEvery(50);
    for (const [eventId, { data: d, streamId }] of fromLog.decisions) {
      await breathe();
      const fail = (reason: string) => mismatches.push({ decisionId: d.decisionId, caseId: d.caseId, eventId, reason });
      if (!inStreams.has(eventId)) fail(`the global log holds this decision in stream ${streamId}, not in a case stream`);
      rerun++;
      for (const check of decisionChecks) {
        const reason = check(d, fromLog.policies);
        if (reason) {
          fail(reason);
          break;
        }
      }
    }
    // Payments re-checked against decisions: a one-off grant once, a month once, never above the decision.
    const money = checkPayments(fromLog.moneyEvents, { from, to });
    mismatches.push(...money.mismatches);
    const chains = await this.store.verify();
    const complete = inStreams.size === rerun && mismatches.every((m) => !m.reason.includes('global log'));
    return {
      range: { from, to },
      /** Decisions in the case streams (counted from the log's streams, not the read model). */
      decisionsInLog: inStreams.size,
      /** Decisions re-run from the global log. */
      decisionsReplayed: rerun,
      decisionsChecked: rerun,
      paymentsChecked: money.paymentsChecked,
      // Taken over from the county's existing roll: not re-run (no recorded facts or policy here), listed with their source.
      migrated: { count: money.migrated.length, decisions: money.migrated },
      mismatches,
      chains: { ok: chains.broken.length === 0, streamsChecked: chains.streamsChecked, eventsChecked: chains.eventsChecked, broken: chains.broken },
      ok: complete && mismatches.length === 0 && chains.broken.length === 0,
    };
  }

  /**
   * Policies and decisions in global order. Decisions the case streams hold but the gap-safe read
   * has not reached yet (a transaction open elsewhere holds it back) are waited for a while.
   */
  private async readDecisionsFromLog(inRange: (d: CaseDecided) => boolean, expected: ReadonlyMap<string, unknown>) {
    const policies: StoredPolicies = new Map();
    const decisions = new Map<string, { streamId: string; data: CaseDecided }>();
    // Decisions and payments of every case, in log order, for the payment check.
    const moneyEvents: { eventId: string; type: string; data: Record<string, unknown> }[] = [];
    let position: Position = START;
    const deadline = Date.now() + this.replayCatchUpMs;
    const breathePage = yieldEvery(1);
    for (;;) {
      await breathePage();
      const page = await this.store.readAll(position, 1000, { types: ['PolicyVersionAdded', 'CaseDecided', 'PaymentRecorded', 'DecisionMigrated'] });
      for (const e of page.events) {
        if (e.type !== 'PolicyVersionAdded') moneyEvents.push({ eventId: e.eventId, type: e.type, data: e.data });
        if (e.type === 'PaymentRecorded' || e.type === 'DecisionMigrated') continue;
        if (e.type === 'PolicyVersionAdded') {
          const data = dataOf<Extract<RegistryEvent, { type: 'PolicyVersionAdded' }>['data']>(e);
          policies.set(String(data.policy.id), { body: data.policy, contentHash: data.contentHash });
        } else {
          const d = dataOf<CaseDecided>(e);
          if (inRange(d)) decisions.set(e.eventId, { streamId: e.streamId, data: d });
        }
      }
      if (page.events.length > 0 && page.next !== position) {
        position = page.next;
        continue;
      }
      const missing = [...expected.keys()].some((id) => !decisions.has(id));
      if (!missing || Date.now() >= deadline) return { policies, decisions, moneyEvents };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

type StoredPolicies = Map<string, { body: Record<string, unknown>; contentHash: string }>;

/**
 * The checks a replayed decision goes through, in order; the first that fails is its mismatch.
 * Further checks (payments paid once, dated steps) are added here.
 */
type DecisionCheck = (d: CaseDecided, policies: StoredPolicies) => string | null;

const decisionChecks: DecisionCheck[] = [
  (d, policies) => {
    const stored = policies.get(d.policy.id);
    if (!stored) return `policy version ${d.policy.id} is not in the history`;
    try {
      const policy = definePolicyVersion(stored.body);
      const hash = policyContentHash(policy);
      if (hash !== d.policy.contentHash || hash !== stored.contentHash) return `policy version ${d.policy.id} no longer hashes to ${d.policy.contentHash}`;
      const rerun = evaluateEligibility(policy, { program: d.program, decisionDate: d.decisionDate, facts: d.facts });
      if (policyCanonicalJson(rerun) !== policyCanonicalJson(d.eligibility)) {
        const outcome =
          rerun.outcome !== (d.eligibility as { outcome?: string }).outcome
            ? `outcome ${String((d.eligibility as { outcome?: string }).outcome)} → ${rerun.outcome}`
            : 'rule results or amount differ';
        return `re-running the rules on the recorded facts gives a different result: ${outcome}`;
      }
      const expected = rerun.outcome === 'eligible' && rerun.amount ? ('monthlyFen' in rerun.amount ? rerun.amount.monthlyFen : rerun.amount.oneOffFen) : null;
      const paid = d.payment ? (d.payment.kind === 'monthly' ? d.payment.monthlyFen : d.payment.fen) : null;
      if (paid !== null && paid !== expected) return `the payment (${paid} fen) is not the computed amount (${String(expected)} fen)`;
      return null;
    } catch (error) {
      return `the decision cannot be re-run: ${(error as Error).message}`;
    }
  },
];
