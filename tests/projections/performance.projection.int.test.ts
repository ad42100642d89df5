import { describe, it } from 'vitest';
import type { PublicationEvent } from '../../src/domain/performance/publication.events';
import { performanceProjection } from '../../src/projections/performance/performance.projection';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(performanceProjection);
const AT = '2026-01-10T08:00:00.000Z';
const workerId = '00000000-0000-4000-8000-0000000000b1';
const published = (revision: number, policyVersion: number): PublicationEvent => ({
  type: 'ScoresPublished',
  data: {
    period: '2025-H2',
    revision,
    policyVersion,
    asOf: '2026-01-05',
    scores: [{ workerId, total: 80 + revision }],
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

  it('replaces a period’s publication only with a later revision', async () => {
    await spec
      .given([published(1, 1), published(3, 2), published(2, 1)])
      .expectRows(
        (db) => db.selectFrom('rm_performance_publications').select(['period', 'revision', 'policy_version', 'scores']).execute(),
        [{ period: '2025-H2', revision: 3, policy_version: 2, scores: [{ workerId, total: 83 }] }],
      );
  });
});
