import { setImmediate as nextTurn } from 'node:timers/promises';
import { caseStreamId, type CaseDecided } from '../../domain/assistance/case.events';
import { evaluateEligibility } from '../../domain/assistance/eligibility/eligibility';
import { policyCanonicalJson, policyContentHash } from '../../domain/assistance/policy/policy-hash';
import { definePolicyVersion } from '../../domain/assistance/policy/policy-version';
import { assistanceCounts, getDecision, listDecisionSummaries, listDecisions, type DecisionFilter } from '../../projections/assistance/assistance.queries';
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
import { PaymentCheck } from './payment-replay';
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
    // Lean rows (issue 20): no facts, rules or reasons, so nothing personal to mask or log here;
    // the whole decision is read (masked and logged) on GET /decisions/{id}.
    const result = await listDecisionSummaries(this.db, { ...filter, townIds: v.townIds, groupIds: v.groupIds }, page);
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
   *
   * Both paths stream in keyset pages of `batchSize` (issue 20): memory holds one page, one case's
   * payment ledger and the policy versions, never the county's decisions; each page is re-run as
   * it arrives, with a turn of the event loop between pages.
   */
  async replay(context: Reader, range: { from?: string; to?: string } = {}, options: ReplayOptions = {}) {
    await authorize(context.actor, assistancePermissions.replay, range, 'replay decisions');
    const from = range.from ?? '0000-01-01';
    const to = range.to ?? '9999-12-31';
    const inRange = (d: CaseDecided) => d.decisionDate >= from && d.decisionDate <= to;
    const batchSize = Math.max(1, options.batchSize ?? 1000);
    const pages = { read: 0 };

    // The case streams, one after the other: decisions counted, payments checked case by case.
    const money = new PaymentCheck({ from, to });
    let decisionsInLog = 0;
    let currentCase: string | null = null;
    for await (const e of this.store.readStreamsByPrefix(caseStreamId(''), { types: MONEY_TYPES, batchSize })) {
      const caseId = String(e.data.caseId);
      if (currentCase !== null && currentCase !== caseId) money.endCase(currentCase);
      currentCase = caseId;
      money.feed(e);
      if (e.type === 'CaseDecided' && inRange(dataOf<CaseDecided>(e))) {
        if (++decisionsInLog % batchSize === 0) {
          options.onProgress?.({ phase: 'streams', done: decisionsInLog, batches: ++pages.read });
          await nextTurn();
        }
      }
    }

    const fromLog = await this.rerunFromLog(inRange, decisionsInLog, batchSize, options, pages);
    const mismatches: ReplayMismatch[] = [];
    if (fromLog.fromCaseStreams < decisionsInLog) mismatches.push(...(await this.decisionsTheLogMissed(inRange, batchSize)));
    mismatches.push(...fromLog.mismatches);
    const payments = money.result();
    mismatches.push(...payments.mismatches);
    const chains = await this.store.verify({
      batchSize,
      onBatch: (eventsChecked) => options.onProgress?.({ phase: 'chains', done: eventsChecked, batches: ++pages.read }),
    });
    const complete = decisionsInLog === fromLog.rerun && mismatches.every((m) => !m.reason.includes('global log'));
    return {
      range: { from, to },
      /** Decisions in the case streams (counted from the log's streams, not the read model). */
      decisionsInLog,
      /** Decisions re-run from the global log. */
      decisionsReplayed: fromLog.rerun,
      decisionsChecked: fromLog.rerun,
      paymentsChecked: payments.paymentsChecked,
      // Taken over from the county's existing roll: not re-run (no recorded facts or policy here), listed with their source.
      migrated: { count: payments.migrated.length, decisions: payments.migrated },
      mismatches,
      chains: { ok: chains.broken.length === 0, streamsChecked: chains.streamsChecked, eventsChecked: chains.eventsChecked, broken: chains.broken },
      ok: complete && mismatches.length === 0 && chains.broken.length === 0,
    };
  }

  /**
   * Policies and decisions in global order, each decision re-run as its page arrives. While the
   * log has yielded fewer case decisions than the case streams hold (a transaction open elsewhere
   * holds the gap-safe read back), it is read on from where it stopped for a while.
   */
  private async rerunFromLog(inRange: (d: CaseDecided) => boolean, expected: number, batchSize: number, options: ReplayOptions, pages: { read: number }) {
    const policies: StoredPolicies = new Map();
    const mismatches: ReplayMismatch[] = [];
    let rerun = 0;
    let fromCaseStreams = 0;
    let position: Position = START;
    const deadline = Date.now() + this.replayCatchUpMs;
    for (;;) {
      const page = await this.store.readAll(position, batchSize, { types: ['PolicyVersionAdded', 'CaseDecided'] });
      pages.read++;
      for (const e of page.events) {
        if (e.type === 'PolicyVersionAdded') {
          const data = dataOf<Extract<RegistryEvent, { type: 'PolicyVersionAdded' }>['data']>(e);
          policies.set(String(data.policy.id), { body: data.policy, contentHash: data.contentHash });
          continue;
        }
        const d = dataOf<CaseDecided>(e);
        if (!inRange(d)) continue;
        const fail = (reason: string) => mismatches.push({ decisionId: d.decisionId, caseId: d.caseId, eventId: e.eventId, reason });
        if (e.streamId.startsWith(caseStreamId(''))) fromCaseStreams++;
        else fail(`the global log holds this decision in stream ${e.streamId}, not in a case stream`);
        rerun++;
        for (const check of decisionChecks) {
          const reason = check(d, policies);
          if (reason) {
            fail(reason);
            break;
          }
        }
      }
      options.onProgress?.({ phase: 'decisions', done: rerun, batches: pages.read });
      // Re-running rules is CPU work: other requests get the thread between pages.
      await nextTurn();
      if (page.events.length > 0 && page.next !== position) {
        position = page.next;
        continue;
      }
      if (fromCaseStreams >= expected || Date.now() >= deadline) return { rerun, fromCaseStreams, mismatches };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Only when the counts differ: the decisions the case streams hold that the log never yielded,
   * named. The log's decision ids are held for this (ids only, and only on this failing path).
   */
  private async decisionsTheLogMissed(inRange: (d: CaseDecided) => boolean, batchSize: number): Promise<ReplayMismatch[]> {
    const reached = new Set<string>();
    let position: Position = START;
    for (;;) {
      const page = await this.store.readAll(position, batchSize, { types: ['CaseDecided'] });
      for (const e of page.events) reached.add(e.eventId);
      if (page.events.length === 0 || page.next === position) break;
      position = page.next;
    }
    const missed: ReplayMismatch[] = [];
    for await (const e of this.store.readStreamsByPrefix(caseStreamId(''), { types: ['CaseDecided'], batchSize })) {
      const d = dataOf<CaseDecided>(e);
      if (!inRange(d) || reached.has(e.eventId)) continue;
      missed.push({
        decisionId: d.decisionId,
        caseId: d.caseId,
        eventId: e.eventId,
        reason:
          'the decision is in its case stream but the global log did not reach it: positions are broken, or a transaction open elsewhere holds the gap-safe reader back',
      });
    }
    return missed;
  }
}

/** The events of a case stream the payment check follows. */
const MONEY_TYPES = ['CaseDecided', 'PaymentRecorded', 'DecisionMigrated'];

/** Progress of a replay run as it goes: decisions counted in the case streams, re-run from the log, then events whose chains were checked. */
export interface ReplayProgress {
  phase: 'streams' | 'decisions' | 'chains';
  done: number;
  batches: number;
}

export interface ReplayOptions {
  /** Page size of the reads over the log (keyset pages). */
  batchSize?: number;
  onProgress?: (progress: ReplayProgress) => void;
}

export type StoredPolicies = Map<string, { body: Record<string, unknown>; contentHash: string }>;

/**
 * The checks a replayed decision goes through, in order; the first that fails is its mismatch.
 * Further checks (payments paid once, dated steps) are added here.
 */
export type DecisionCheck = (d: CaseDecided, policies: StoredPolicies) => string | null;

export const decisionChecks: readonly DecisionCheck[] = [
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
