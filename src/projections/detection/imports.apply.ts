import { sql } from 'kysely';
import type { DataImportEvent } from '../../domain/detection/data-import.events';
import type { DetectionPolicyEvent } from '../../domain/detection/detection-policy.events';
import type { Db } from '../../storage/database';
import type { Handlers } from '../typed-projection';

/** Imports, their rejections and observations, and policy versions. Every write is keyed, so applying twice changes nothing. */
export const importHandlers: Handlers<DataImportEvent | DetectionPolicyEvent> = {
  async DetectionPolicyVersionAdded(trx, { data: { policy: p }, recordedAt }) {
    await trx
      .insertInto('rm_detection_policies')
      .values({ version: p.version, effective_from: p.effectiveFrom, body: JSON.stringify(p), recorded_at: recordedAt })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute();
  },
  async DataImportStarted(trx, { data: d, metadata }) {
    await trx
      .insertInto('rm_detection_imports')
      .values({
        id: d.importId,
        source: d.source,
        batch_id: d.batchId,
        content_hash: d.contentHash,
        status: 'processing',
        row_count: d.rowCount,
        chunk_size: d.chunkSize,
        policy_version: d.policyVersion,
        received_on: d.receivedOn,
        imported_by: metadata.actorId,
        started_at: d.startedAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  },
  async DataImportChunkRecorded(trx, { data }) {
    await applyChunk(trx, data);
  },
  async DataImportCompleted(trx, { data: { importId, totals: t, completedAt } }) {
    await trx
      .updateTable('rm_detection_imports')
      .set({
        status: 'completed',
        completed_at: completedAt,
        applied: t.applied,
        unchanged: t.unchanged,
        rejected: t.rejected,
        findings_raised: t.findingsRaised,
        findings_escalated: t.findingsEscalated,
        persons_found: t.personsFound,
      })
      .where('id', '=', importId)
      .execute();
  },
};

async function applyChunk(trx: Db, d: Extract<DataImportEvent, { type: 'DataImportChunkRecorded' }>['data']): Promise<void> {
  // Chunks arrive in order; the guard makes a replayed chunk a no-op for the running counters.
  const moved = await sql`update rm_detection_imports set chunks_recorded = ${d.chunk}, rows_done = ${d.toRow},
                            applied = applied + ${d.applied.length}, unchanged = unchanged + ${d.unchanged.length},
                            rejected = rejected + ${new Set(d.rejected.map((r) => r.row)).size},
                            findings_raised = findings_raised + ${d.findings.raised}, findings_escalated = findings_escalated + ${d.findings.escalated},
                            persons_found = persons_found + ${d.findings.personsFound}
                          where id = ${d.importId} and chunks_recorded = ${d.chunk - 1} returning id`.execute(trx);
  if (moved.rows.length === 0) return;
  if (d.rejected.length > 0) {
    const ordinals = new Map<number, number>();
    const rows = d.rejected.map((r) => {
      const ordinal = (ordinals.get(r.row) ?? 0) + 1;
      ordinals.set(r.row, ordinal);
      return { row_no: r.row, ordinal, field: r.field, message: r.message };
    });
    await sql`insert into rm_detection_rejections (import_id, row_no, ordinal, field, message)
              select ${d.importId}::uuid, x.row_no, x.ordinal, x.field, x.message
              from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(row_no integer, ordinal integer, field text, message text)
              on conflict do nothing`.execute(trx);
  }
  if (d.applied.length > 0) {
    const rows = d.applied.map((r) => ({
      record_key: r.recordKey,
      person_id: r.personId,
      kind: r.observation.kind,
      observed_on: r.observation.observedOn,
      data: r.observation,
      matched: r.matched,
      row_no: r.row,
    }));
    await sql`insert into rm_detection_observations (record_key, person_id, source, kind, observed_on, data, matched, import_id, row_no)
              select x.record_key, x.person_id, ${d.source}, x.kind, x.observed_on, x.data, x.matched, ${d.importId}::uuid, x.row_no
              from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(record_key text, person_id uuid, kind text, observed_on date, data jsonb, matched boolean, row_no integer)
              order by x.row_no
              on conflict (record_key) do nothing`.execute(trx);
  }
}
