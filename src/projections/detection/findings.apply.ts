import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { FindingEvent } from '../../domain/detection/finding.events';

type Event = FindingEvent & Pick<RecordedEvent, 'version' | 'recordedAt' | 'streamId'>;

/**
 * Findings and their tasks, one row each. Updates are guarded by the stream version, so a
 * replayed event changes nothing. The task's assignee is deliberately not stored (see queries).
 */
export async function applyFindingEvent(trx: Kysely<any>, event: Event): Promise<void> {
  const { version, recordedAt } = event;
  switch (event.type) {
    case 'FindingRaised': {
      const d = event.data;
      const s = d.subject;
      await sql`insert into rm_detection_findings (id, task_id, stream_id, person_id, id_number, name, cause, indicated_causes, severity, status, raised_on, deadline,
                  matched, household_id, group_id, source, import_id, row_no, reasons, policy_version, version, updated_at)
                values (${d.findingId}, ${d.taskId}, ${event.streamId}, ${s.personId}, ${s.idNumber}, ${s.name}, ${d.cause}, ${JSON.stringify(d.indicatedCauses)}::jsonb,
                  ${d.severity}, 'open', ${d.raisedOn}, ${d.deadline}, ${s.matched}, ${s.householdId}, ${s.groupId}, ${d.origin.source}, ${d.origin.importId}, ${d.origin.row},
                  ${JSON.stringify(d.reasons)}::jsonb, ${d.policyVersion}, ${version}, ${recordedAt})
                on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'FindingEscalated': {
      const d = event.data;
      // A reopened task drops its outcome from the row; the event history keeps it.
      await sql`update rm_detection_findings set severity = ${d.to}, deadline = ${d.deadline}, status = 'open', escalations = escalations + 1,
                  indicated_causes = (select coalesce(jsonb_agg(distinct c), '[]'::jsonb) from jsonb_array_elements(indicated_causes || ${JSON.stringify(d.indicatedCauses)}::jsonb) c), reasons = reasons || ${JSON.stringify(d.reasons)}::jsonb,
                  ${d.reopened ? sql`reopened = reopened + 1, outcome = null, outcome_on = null, outcome_detail = null, closed_by = null,` : sql``}
                  version = ${version}, updated_at = ${recordedAt}
                where id = ${d.findingId} and version < ${version}`.execute(trx);
      return;
    }
    case 'TaskOutcomeRecorded': {
      const d = event.data;
      const { kind, ...detail } = d.outcome;
      await sql`update rm_detection_findings set status = 'closed', outcome = ${kind}, outcome_on = ${d.on}, outcome_detail = ${JSON.stringify(detail)}::jsonb,
                  closed_by = ${d.recordedBy}, version = ${version}, updated_at = ${recordedAt}
                where id = ${d.findingId} and version < ${version}`.execute(trx);
      return;
    }
    case 'FindingPlaced':
      await sql`update rm_detection_findings set group_id = ${event.data.groupId}, version = ${version}, updated_at = ${recordedAt}
                where id = ${event.data.findingId} and version < ${version}`.execute(trx);
      return;
  }
}
