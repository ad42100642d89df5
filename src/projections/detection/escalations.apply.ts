import { sql } from 'kysely';
import type { FindingEvent } from '../../domain/detection/finding.events';
import type { Db } from '../../storage/database';
import type { Recorded } from '../typed-projection';

type Escalated = Recorded<Extract<FindingEvent, { type: 'FindingEscalated' }>>;

/**
 * Escalations of distinct findings (an import chunk's) as one update: what FindingEscalated's
 * handler writes for each, row by row, guarded by the stream version the same way.
 */
export async function applyEscalations(trx: Db, events: readonly Escalated[]): Promise<void> {
  const rows = events.map(({ data: d, version, recordedAt }) => ({
    finding_id: d.findingId,
    severity: d.to,
    deadline: d.deadline,
    indicated_causes: d.indicatedCauses,
    reasons: d.reasons,
    reopened: d.reopened,
    version,
    updated_at: recordedAt,
  }));
  await sql`update rm_detection_findings f set severity = x.severity, deadline = x.deadline, status = 'open', escalations = f.escalations + 1,
              indicated_causes = (select coalesce(jsonb_agg(distinct c), '[]'::jsonb) from jsonb_array_elements(f.indicated_causes || x.indicated_causes) c),
              reasons = f.reasons || x.reasons,
              reopened = f.reopened + case when x.reopened then 1 else 0 end,
              outcome = case when x.reopened then null else f.outcome end,
              outcome_on = case when x.reopened then null else f.outcome_on end,
              outcome_detail = case when x.reopened then null else f.outcome_detail end,
              closed_by = case when x.reopened then null else f.closed_by end,
              version = x.version, updated_at = x.updated_at
            from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
              as x(finding_id uuid, severity text, deadline date, indicated_causes jsonb, reasons jsonb, reopened boolean, version bigint, updated_at timestamptz)
            where f.id = x.finding_id and f.version < x.version`.execute(trx);
}
