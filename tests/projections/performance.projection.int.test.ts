import { describe, it } from 'vitest';
import type { PublicationEvent } from '../../src/domain/performance/publication.events';
import { performanceProjection } from '../../src/projections/performance/performance.projection';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(performanceProjection);
const AT = '2026-01-10T08:00:00.000Z';
const workerId = '00000000-0000-4000-8000-0000000000b1';
const otherWorker = '00000000-0000-4000-8000-0000000000b4';
/** The visits behind a worker's visits_done: `n` months, the first `met` of them met. */
const visitEvidence = (n: number, met: number) =>
  Array.from({ length: n }, (_, i) => ({ kind: 'group_monthly_visit', id: `g-${i}`, date: `2025-${String(7 + i).padStart(2, '0')}`, met: i < met }));
const published = (revision: number, policyVersion: number): PublicationEvent => ({
  type: 'ScoresPublished',
  data: {
    period: '2025-H2',
    revision,
    policyVersion,
    asOf: '2026-01-05',
    scores: [
      {
        workerId,
        total: 80 + revision,
        metrics: [
          { key: 'visits_done', met: revision, total: revision + 1, evidence: visitEvidence(revision + 1, revision) },
          { key: 'mentoring', met: 0, total: 0, evidence: [] },
        ],
      },
      // An open record without metrics (the event's scores are open records) is shown as it is.
      { workerId: otherWorker, total: null },
    ],
    publishedBy: 'evaluator-1',
    recordedAt: AT,
  },
});

describe('performance projection', () => {
  it('keeps every assessment revision and outcome, keyed by their own ids', async () => {
    await spec
      .given([
        {
          type: 'AssessmentRecorded',
          data: {
            assessmentId: '00000000-0000-4000-8000-0000000000b2',
            workerId,
            period: '2025-H2',
            revision: 1,
            scores: { discipline: 90, attitude: 90, knowledge: 80 },
            comments: { discipline: '按时到岗', attitude: '', knowledge: '' },
            correctionReason: null,
            assessedBy: 'evaluator-1',
            recordedAt: AT,
          },
        },
        {
          type: 'AssessmentRecorded',
          data: {
            assessmentId: '00000000-0000-4000-8000-0000000000b3',
            workerId,
            period: '2025-H2',
            revision: 2,
            scores: { discipline: 95, attitude: 90, knowledge: 80 },
            comments: { discipline: '', attitude: '', knowledge: '' },
            correctionReason: '录入错误',
            assessedBy: 'evaluator-1',
            recordedAt: AT,
          },
        },
      ])
      .expectRows(
        (db) => db.selectFrom('rm_assessments').select(['revision', 'scores', 'correction_reason']).orderBy('revision').execute(),
        [
          { revision: 1, scores: { discipline: 90, attitude: 90, knowledge: 80 }, correction_reason: null },
          { revision: 2, scores: { discipline: 95, attitude: 90, knowledge: 80 }, correction_reason: '录入错误' },
        ],
      );
  });

  it('replaces a period’s publication only with a later revision: the sheet with counts, the evidence by worker and metric', async () => {
    await spec.given([published(1, 1), published(3, 2), published(2, 1)]).expectRows(
      (db) => db.selectFrom('rm_performance_publications').select(['period', 'revision', 'policy_version', 'sheet']).execute(),
      [
        {
          period: '2025-H2',
          revision: 3,
          policy_version: 2,
          sheet: [
            {
              workerId,
              total: 83,
              metrics: [
                { key: 'visits_done', met: 3, total: 4, evidenceCount: 4 },
                { key: 'mentoring', met: 0, total: 0, evidenceCount: 0 },
              ],
            },
            { workerId: otherWorker, total: null },
          ],
        },
      ],
    );
    await spec.given([published(1, 1), published(3, 2), published(2, 1)]).expectRows(
      (db) =>
        db.selectFrom('rm_performance_published_evidence').select(['period', 'worker_id', 'metric', 'item_count', 'evidence']).orderBy('metric').execute(),
      [
        { period: '2025-H2', worker_id: workerId, metric: 'mentoring', item_count: 0, evidence: [] },
        { period: '2025-H2', worker_id: workerId, metric: 'visits_done', item_count: 4, evidence: visitEvidence(4, 3) },
      ],
    );
  });
});
