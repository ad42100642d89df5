import { caseStreamId, type CaseDecided } from '../../src/domain/assistance/case.events';
import type { RegistryEvent } from '../../src/domain/assistance/policy/policy-registry';
import { decisionChecks, type ReplayMismatch, type StoredPolicies } from '../../src/application/assistance/audit.service';
import { checkPayments } from '../../src/application/assistance/payment-replay';
import { START, type EventStore, type Position } from '../../src/application/event-store';
import { dataOf } from '../../src/application/stored-events';

/**
 * The auditor's replay as it was before it streamed (issue 20): every decision of the case streams
 * and of the log held in memory at once, then compared. Kept as the oracle the streaming replay
 * must agree with on a quiet store (no catch-up wait, no chain verify: those are unchanged).
 */
export async function inMemoryReplay(store: EventStore, range: { from?: string; to?: string } = {}) {
  const from = range.from ?? '0000-01-01';
  const to = range.to ?? '9999-12-31';
  const inRange = (d: CaseDecided) => d.decisionDate >= from && d.decisionDate <= to;
  const inStreams = new Map<string, CaseDecided>();
  for await (const e of store.readStreamsByPrefix(caseStreamId(''), { types: ['CaseDecided'] })) {
    const d = dataOf<CaseDecided>(e);
    if (inRange(d)) inStreams.set(e.eventId, d);
  }
  const policies: StoredPolicies = new Map();
  const decisions = new Map<string, { streamId: string; data: CaseDecided }>();
  const moneyEvents: { eventId: string; type: string; data: Record<string, unknown> }[] = [];
  let position: Position = START;
  for (;;) {
    const page = await store.readAll(position, 1000, { types: ['PolicyVersionAdded', 'CaseDecided', 'PaymentRecorded', 'DecisionMigrated'] });
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
    if (page.events.length === 0 || page.next === position) break;
    position = page.next;
  }
  const mismatches: ReplayMismatch[] = [];
  for (const [eventId, d] of inStreams) {
    if (!decisions.has(eventId)) mismatches.push({ decisionId: d.decisionId, caseId: d.caseId, eventId, reason: 'the global log did not reach it' });
  }
  let rerun = 0;
  for (const [eventId, { data: d, streamId }] of decisions) {
    const fail = (reason: string) => mismatches.push({ decisionId: d.decisionId, caseId: d.caseId, eventId, reason });
    if (!inStreams.has(eventId)) fail(`the global log holds this decision in stream ${streamId}, not in a case stream`);
    rerun++;
    for (const check of decisionChecks) {
      const reason = check(d, policies);
      if (reason) {
        fail(reason);
        break;
      }
    }
  }
  const money = checkPayments(moneyEvents, { from, to });
  mismatches.push(...money.mismatches);
  return {
    decisionsInLog: inStreams.size,
    decisionsReplayed: rerun,
    paymentsChecked: money.paymentsChecked,
    migrated: { count: money.migrated.length, decisions: money.migrated },
    mismatches,
  };
}
