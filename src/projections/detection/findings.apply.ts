import { sql } from 'kysely';
import type { DataImportEvent } from '../../domain/detection/data-import.events';
import type { DetectionPolicyEvent } from '../../domain/detection/detection-policy.events';
import type { FindingEvent } from '../../domain/detection/finding.events';
import type { InlineRows } from '../../application/event-store';
import type { Handlers, Pending } from '../typed-projection';

/**
 * Findings and their tasks, one row each. Updates are guarded by the stream version, so a
 * replayed event changes nothing. The task's assignee is deliberately not stored (see queries).
 */
export const findingHandlers: Handlers<FindingEvent> = {
  async FindingRaised(trx, { data: d, streamId, version, recordedAt }) {
    const s = d.subject;
    await trx
      .insertInto('rm_detection_findings')
      .values({
        id: d.findingId,
        task_id: d.taskId,
        stream_id: streamId,
        person_id: s.personId,
        id_number: s.idNumber,
        name: s.name,
        cause: d.cause,
        indicated_causes: JSON.stringify(d.indicatedCauses),
        severity: d.severity,
        status: 'open',
        raised_on: d.raisedOn,
        deadline: d.deadline,
        matched: s.matched,
        household_id: s.householdId,
        group_id: s.groupId,
        source: d.origin.source,
        import_id: d.origin.importId,
        row_no: d.origin.row,
        reasons: JSON.stringify(d.reasons),
        policy_version: d.policyVersion,
        version,
        updated_at: recordedAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  },
  async FindingEscalated(trx, { data: d, version, recordedAt }) {
    // The union of indicated causes is a jsonb aggregate the builder cannot say. A reopened
    // task drops its outcome from the row; the event history keeps it.
    await sql`update rm_detection_findings set severity = ${d.to}, deadline = ${d.deadline}, status = 'open', escalations = escalations + 1,
                indicated_causes = (select coalesce(jsonb_agg(distinct c), '[]'::jsonb) from jsonb_array_elements(indicated_causes || ${JSON.stringify(d.indicatedCauses)}::jsonb) c), reasons = reasons || ${JSON.stringify(d.reasons)}::jsonb,
                ${d.reopened ? sql`reopened = reopened + 1, outcome = null, outcome_on = null, outcome_detail = null, closed_by = null,` : sql``}
                version = ${version}, updated_at = ${recordedAt}
              where id = ${d.findingId} and version < ${version}`.execute(trx);
  },
  async TaskOutcomeRecorded(trx, { data: d, version, recordedAt }) {
    const { kind, ...detail } = d.outcome;
    await trx
      .updateTable('rm_detection_findings')
      .set({
        status: 'closed',
        outcome: kind,
        outcome_on: d.on,
        outcome_detail: JSON.stringify(detail),
        closed_by: d.recordedBy,
        version,
        updated_at: recordedAt,
      })
      .where('id', '=', d.findingId)
      .where('version', '<', String(version))
      .execute();
  },
  async FindingPlaced(trx, { data: d, version, recordedAt }) {
    await trx
      .updateTable('rm_detection_findings')
      .set({ group_id: d.groupId, version, updated_at: recordedAt })
      .where('id', '=', d.findingId)
      .where('version', '<', String(version))
      .execute();
  },
};

const FINDING_COLUMNS = [
  ['id', 'uuid'],
  ['task_id', 'uuid'],
  ['stream_id', 'text'],
  ['person_id', 'uuid'],
  ['id_number', 'text'],
  ['name', 'text'],
  ['cause', 'text'],
  ['indicated_causes', 'jsonb'],
  ['severity', 'text'],
  ['status', 'text'],
  ['raised_on', 'date'],
  ['deadline', 'date'],
  ['matched', 'boolean'],
  ['household_id', 'uuid'],
  ['group_id', 'uuid'],
  ['source', 'text'],
  ['import_id', 'uuid'],
  ['row_no', 'integer'],
  ['reasons', 'jsonb'],
  ['policy_version', 'integer'],
  ['version', 'bigint'],
  ['updated_at', 'timestamptz'],
] as const;

/**
 * A raised finding is one plain insert (what FindingRaised's handler writes), so the append
 * statement carries it: an import's new findings cost one round trip each, not a transaction.
 * Anything else (an escalation updates its row) takes the transaction (null).
 */
export function findingRows(events: readonly Pending<DataImportEvent | DetectionPolicyEvent | FindingEvent>[]): InlineRows[] | null {
  const rows: unknown[][] = [];
  for (const e of events) {
    if (e.type !== 'FindingRaised') return null;
    const d = e.data;
    const s = d.subject;
    rows.push([
      d.findingId,
      d.taskId,
      e.streamId,
      s.personId,
      s.idNumber,
      s.name,
      d.cause,
      JSON.stringify(d.indicatedCauses),
      d.severity,
      'open',
      d.raisedOn,
      d.deadline,
      s.matched,
      s.householdId,
      s.groupId,
      d.origin.source,
      d.origin.importId,
      d.origin.row,
      JSON.stringify(d.reasons),
      d.policyVersion,
      e.version,
      e.recordedAt,
    ]);
  }
  return [{ table: 'rm_detection_findings', columns: FINDING_COLUMNS, rows, onConflict: '(id) do nothing' }];
}
