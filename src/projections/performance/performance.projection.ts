import type { AssessmentEvent } from '../../domain/performance/assessment.events';
import type { PublicationEvent } from '../../domain/performance/publication.events';
import { splitPublishedScore } from '../../domain/performance/published-sheet';
import type { ScoringPolicyEvent } from '../../domain/performance/scoring-policy.events';
import { typedProjection } from '../typed-projection';
import { insertEvidence } from './performance-metrics.queries';

/**
 * Scoring policies, assessments, outcomes and publications. Inline: an assessment or a
 * publication is in the scores the moment the command returns. Every write is keyed by the
 * event's own ids, so replaying (rebuild) gives the same rows.
 */
export const performanceProjection = typedProjection<ScoringPolicyEvent | AssessmentEvent | PublicationEvent>({
  name: 'performance',
  mode: 'inline',
  tables: ['rm_scoring_policies', 'rm_assessments', 'rm_performance_outcomes', 'rm_performance_publications', 'rm_performance_published_evidence'],
  handlers: {
    async ScoringPolicyVersionAdded(trx, { data: { policy: p }, recordedAt }) {
      await trx
        .insertInto('rm_scoring_policies')
        .values({ version: p.version, effective_from: p.effectiveFrom, body: JSON.stringify(p), recorded_at: recordedAt })
        .onConflict((oc) => oc.column('version').doNothing())
        .execute();
    },
    async AssessmentRecorded(trx, { data: d, eventId }) {
      await trx
        .insertInto('rm_assessments')
        .values({
          id: d.assessmentId,
          event_id: eventId,
          worker_id: d.workerId,
          period: d.period,
          revision: d.revision,
          scores: JSON.stringify(d.scores),
          comments: JSON.stringify(d.comments),
          correction_reason: d.correctionReason,
          assessed_by: d.assessedBy,
          recorded_at: d.recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async PerformanceOutcomeRecorded(trx, { data: d, eventId }) {
      await trx
        .insertInto('rm_performance_outcomes')
        .values({
          id: d.outcomeId,
          event_id: eventId,
          worker_id: d.workerId,
          period: d.period,
          outcome: d.outcome,
          note: d.note,
          decided_by: d.decidedBy,
          recorded_at: d.recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async ScoresPublished(trx, { data: d, eventId }) {
      // The sheet as it is shown, and each worker's evidence by metric for the drill-down
      // (migration 0190): the frozen scores themselves stay in the event.
      const split = d.scores.map((score) => ({ workerId: score.workerId, ...splitPublishedScore(score) }));
      // A later revision replaces the publication; a replayed or older one changes nothing.
      const replaced = await trx
        .insertInto('rm_performance_publications')
        .values({
          period: d.period,
          revision: d.revision,
          event_id: eventId,
          policy_version: d.policyVersion,
          as_of: d.asOf,
          sheet: JSON.stringify(split.map((s) => s.sheet)),
          published_by: d.publishedBy,
          published_at: d.recordedAt,
        })
        .onConflict((oc) =>
          oc
            .column('period')
            .doUpdateSet((eb) => ({
              revision: eb.ref('excluded.revision'),
              event_id: eb.ref('excluded.event_id'),
              policy_version: eb.ref('excluded.policy_version'),
              as_of: eb.ref('excluded.as_of'),
              sheet: eb.ref('excluded.sheet'),
              published_by: eb.ref('excluded.published_by'),
              published_at: eb.ref('excluded.published_at'),
            }))
            .where('rm_performance_publications.revision', '<', (eb) => eb.ref('excluded.revision')),
        )
        .returning('period')
        .executeTakeFirst();
      if (!replaced) return;
      await trx.deleteFrom('rm_performance_published_evidence').where('period', '=', d.period).execute();
      const lists = split.flatMap(({ workerId, evidence }) => (typeof workerId === 'string' ? evidence.map((e) => ({ workerId, ...e })) : []));
      await insertEvidence(trx, 'rm_performance_published_evidence', d.period, lists);
    },
  },
});
