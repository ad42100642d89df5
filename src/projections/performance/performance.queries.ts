import type { Database } from '../../storage/database';
import type { Kysely } from 'kysely';
import type { ScoringPolicy } from '../../domain/performance/scoring-policy';
import { day, iso, json } from '../row-values';

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
  scores: unknown[];
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
    scores: json(r.scores),
    publishedBy: r.published_by,
    publishedAt: iso(r.published_at),
  };
}
