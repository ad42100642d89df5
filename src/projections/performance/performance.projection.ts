import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { AssessmentEvent } from '../../domain/performance/assessment.events';
import type { PublicationEvent } from '../../domain/performance/publication.events';
import type { ScoringPolicyEvent } from '../../domain/performance/scoring-policy.events';
import type { Projection } from '../projection';

type Event = (ScoringPolicyEvent | AssessmentEvent | PublicationEvent) & Pick<RecordedEvent, 'eventId' | 'recordedAt'>;

/**
 * Scoring policies, assessments, outcomes and publications. Inline: an assessment or a
 * publication is in the scores the moment the command returns. Every write is keyed by the
 * event's own ids, so replaying (rebuild) gives the same rows.
 */
export const performanceProjection: Projection = {
  name: 'performance',
  mode: 'inline',
  handles: ['ScoringPolicyVersionAdded', 'AssessmentRecorded', 'PerformanceOutcomeRecorded', 'ScoresPublished'],
  tables: ['rm_scoring_policies', 'rm_assessments', 'rm_performance_outcomes', 'rm_performance_publications'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const e of events) await applyOne(trx, e as unknown as Event);
  },
};

async function applyOne(trx: Kysely<any>, event: Event): Promise<void> {
  switch (event.type) {
    case 'ScoringPolicyVersionAdded': {
      const p = event.data.policy;
      await sql`insert into rm_scoring_policies (version, effective_from, body, recorded_at) values (${p.version}, ${p.effectiveFrom}, ${JSON.stringify(p)}::jsonb, ${event.recordedAt})
                on conflict (version) do nothing`.execute(trx);
      return;
    }
    case 'AssessmentRecorded': {
      const d = event.data;
      await sql`insert into rm_assessments (id, event_id, worker_id, period, revision, scores, comments, correction_reason, assessed_by, recorded_at)
                values (${d.assessmentId}, ${event.eventId}, ${d.workerId}, ${d.period}, ${d.revision}, ${JSON.stringify(d.scores)}::jsonb, ${JSON.stringify(d.comments)}::jsonb,
                        ${d.correctionReason}, ${d.assessedBy}, ${d.recordedAt}) on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'PerformanceOutcomeRecorded': {
      const d = event.data;
      await sql`insert into rm_performance_outcomes (id, event_id, worker_id, period, outcome, note, decided_by, recorded_at)
                values (${d.outcomeId}, ${event.eventId}, ${d.workerId}, ${d.period}, ${d.outcome}, ${d.note}, ${d.decidedBy}, ${d.recordedAt}) on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'ScoresPublished': {
      const d = event.data;
      await sql`insert into rm_performance_publications (period, revision, event_id, policy_version, as_of, scores, published_by, published_at)
                values (${d.period}, ${d.revision}, ${event.eventId}, ${d.policyVersion}, ${d.asOf}, ${JSON.stringify(d.scores)}::jsonb, ${d.publishedBy}, ${d.recordedAt})
                on conflict (period) do update set revision = excluded.revision, event_id = excluded.event_id, policy_version = excluded.policy_version, as_of = excluded.as_of,
                  scores = excluded.scores, published_by = excluded.published_by, published_at = excluded.published_at
                where rm_performance_publications.revision < excluded.revision`.execute(trx);
      return;
    }
  }
}
