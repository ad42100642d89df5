import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toSheet } from '../../src/application/performance/metric-counters';
import { metricOf } from '../../src/domain/performance/metric';
import { splitPublishedScore } from '../../src/domain/performance/published-sheet';
import { scoreWorkers } from '../../src/domain/performance/scoring';
import { ScoringPolicySchema } from '../../src/domain/performance/scoring-policy';

const policy = ScoringPolicySchema.parse(JSON.parse(readFileSync(new URL('../../policies/scoring-policy.default.json', import.meta.url), 'utf8')));
const visits = Array.from({ length: 5 }, (_, i) => ({ kind: 'group_monthly_visit', id: `g-${i}`, date: `2023-0${i + 1}`, met: i % 2 === 0 }));
const [score] = scoreWorkers(policy, [
  {
    worker: { workerId: 'w-1', name: '村社工甲', level: 'village', townId: 't-1' },
    metrics: [metricOf('visits_done', visits), metricOf('training_attended', [])],
    assessment: { assessmentId: 'a-1', revision: 1, scores: { discipline: 9000, attitude: 9500, knowledge: 8000 } },
  },
]);

describe('a published score split into its sheet row and its evidence (issue 20)', () => {
  it('given a computed score, the sheet row is what the live sheet shows of it (toSheet) and the evidence is each metric’s list', () => {
    const split = splitPublishedScore(score as unknown as Record<string, unknown>);
    expect(split.sheet).toEqual(toSheet(score!));
    expect(JSON.stringify(split.sheet)).not.toContain('"evidence"');
    expect(split.evidence).toEqual(score!.metrics.map((m) => ({ metric: m.key, items: m.evidence })));
    expect(split.evidence.find((e) => e.metric === 'visits_done')?.items).toEqual(visits);
  });

  it('given open records, shows a score without metrics as it is and leaves no evidence for a metric without a key', () => {
    expect(splitPublishedScore({ workerId: 'w-2', total: null })).toEqual({ sheet: { workerId: 'w-2', total: null }, evidence: [] });
    expect(splitPublishedScore({ workerId: 'w-3', metrics: [{ met: 1, evidence: [{ id: 'x' }] }, { key: 'k', met: 0 }, 'odd'] })).toEqual({
      sheet: { workerId: 'w-3', metrics: [{ met: 1, evidenceCount: 1 }, { key: 'k', met: 0, evidenceCount: 0 }, 'odd'] },
      evidence: [{ metric: 'k', items: [] }],
    });
  });
});
