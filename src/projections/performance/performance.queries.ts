import type { Database } from '../../storage/database';
import { sql, type Kysely } from 'kysely';
import type { Evidence } from '../../domain/performance/metric';
import type { ScoringPolicy } from '../../domain/performance/scoring-policy';
import { day, iso, json, jsonbArrayPage } from '../row-values';
import { workerEvidence, type EvidenceSlice } from './performance-metrics.queries';

export async function scoringPolicies(db: Kysely<Database>): Promise<ScoringPolicy[]> {
  const rows = await db.selectFrom('rm_scoring_policies').select('body').orderBy('version').execute();
  return rows.map((r) => json<ScoringPolicy>(r.body));
}

export interface AssessmentRow {
  assessmentId: string;
  eventId: string;
  workerId: string;
  period: string;
  revision: number;
  scores: { discipline: number; attitude: number; knowledge: number };
  comments: { discipline: string; attitude: string; knowledge: string };
  correctionReason: string | null;
  assessedBy: string;
  recordedAt: string;
}

/** Every revision, oldest first; filter by period and optionally a worker. */
export async function assessments(db: Kysely<Database>, period: string, workerId?: string): Promise<AssessmentRow[]> {
  const rows = await db
    .selectFrom('rm_assessments')
    .selectAll()
    .where('period', '=', period)
    .$if(!!workerId, (q) => q.where('worker_id', '=', workerId!))
    .orderBy('worker_id')
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({
    assessmentId: r.id,
    eventId: r.event_id,
    workerId: r.worker_id,
    period: r.period,
    revision: Number(r.revision),
    scores: json(r.scores),
    comments: json(r.comments),
    correctionReason: r.correction_reason,
    assessedBy: r.assessed_by,
    recordedAt: iso(r.recorded_at),
  }));
}

export interface OutcomeRow {
  outcomeId: string;
  eventId: string;
  workerId: string;
  period: string;
  outcome: string;
  note: string;
  decidedBy: string;
  recordedAt: string;
}

export async function outcomes(db: Kysely<Database>, period: string, workerId?: string): Promise<OutcomeRow[]> {
  const rows = await db
    .selectFrom('rm_performance_outcomes')
    .selectAll()
    .where('period', '=', period)
    .$if(!!workerId, (q) => q.where('worker_id', '=', workerId!))
    .orderBy('worker_id')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    outcomeId: r.id,
    eventId: r.event_id,
    workerId: r.worker_id,
    period: r.period,
    outcome: r.outcome,
    note: r.note,
    decidedBy: r.decided_by,
    recordedAt: iso(r.recorded_at),
  }));
}

export interface PublicationRow {
  period: string;
  revision: number;
  eventId: string;
  policyVersion: number;
  asOf: string;
  /** The published scores as the sheet shows them: each metric's evidence as `evidenceCount` (splitPublishedScore). */
  sheet: unknown[];
  publishedBy: string;
  publishedAt: string;
}

export async function publication(db: Kysely<Database>, period: string): Promise<PublicationRow | null> {
  const r = await db.selectFrom('rm_performance_publications').selectAll().where('period', '=', period).executeTakeFirst();
  if (!r) return null;
  return {
    period: r.period,
    revision: Number(r.revision),
    eventId: r.event_id,
    policyVersion: Number(r.policy_version),
    asOf: day(r.as_of)!,
    sheet: json(r.sheet),
    publishedBy: r.published_by,
    publishedAt: iso(r.published_at),
  };
}

/** One worker's published evidence for every metric of a period (the one-worker view of a published period). */
export const publishedWorkerEvidence = (db: Kysely<Database>, period: string, workerId: string): Promise<Map<string, Evidence[]>> =>
  workerEvidence(db, period, workerId, 'rm_performance_published_evidence');

/**
 * A page of one metric's published evidence of one worker, for a period that has a publication
 * (null otherwise), in one read: whether the worker is on the published sheet, and the page (null
 * when the sheet has no such metric for the worker).
 */
export async function publishedEvidencePage(
  db: Kysely<Database>,
  key: { period: string; workerId: string; metric: string },
  from: number,
  limit: number,
): Promise<{ listed: boolean; page: EvidenceSlice | null } | null> {
  const r = await db
    .selectFrom('rm_performance_publications as p')
    .leftJoin('rm_performance_published_evidence as e', (join) =>
      join.onRef('e.period', '=', 'p.period').on('e.worker_id', '=', key.workerId).on('e.metric', '=', key.metric),
    )
    .select([
      // On the sheet: the worker has evidence rows (every computed score has metrics), or, for an
      // open record without metrics, the sheet itself says so (read only then: 157 KB at county scale).
      sql<boolean>`(exists (select 1 from rm_performance_published_evidence w where w.period = p.period and w.worker_id = ${key.workerId})
        or exists (select 1 from jsonb_array_elements(p.sheet) s(score) where s.score ->> 'workerId' = ${key.workerId}))`.as('listed'),
      'e.item_count',
      jsonbArrayPage('e.evidence', from, limit).as('page'),
    ])
    .where('p.period', '=', key.period)
    .executeTakeFirst();
  if (!r) return null;
  return { listed: r.listed, page: r.item_count === null ? null : { total: Number(r.item_count), items: json<Evidence[]>(r.page) } };
}
