import { sql } from 'kysely';
import type { FindingEvent } from '../../domain/detection/finding.events';
import type { Handlers } from '../typed-projection';

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
