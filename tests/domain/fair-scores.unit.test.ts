import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/domain/performance/period';
import { scoreWorkers } from '../../src/domain/performance/scoring';
import { ScoringPolicySchema, type ScoringPolicy } from '../../src/domain/performance/scoring-policy';
import { mentoring, submissionsApproved } from '../../src/domain/performance/workforce-metrics';

const policy: ScoringPolicy = ScoringPolicySchema.parse(
  JSON.parse(readFileSync(new URL('../../policies/scoring-policy.default.json', import.meta.url), 'utf8')),
);
const H1 = parsePeriod('2023-H1');
const worker = (workerId: string) => ({ workerId, name: workerId, level: 'town', townId: 't' });
const assessment = (d: number, a: number, k: number) => ({
  assessmentId: '00000000-0000-4000-8000-000000000001',
  revision: 1,
  scores: { discipline: d, attitude: a, knowledge: k },
});

describe('fair scores (issue #19, finding 5)', () => {
  describe('given a worker in no mentoring pair', () => {
    it('mentoring is not applicable, not 0 of 181 days', () => {
      const m = mentoring(H1, '2023-07-05', { hiredOn: '2022-01-01', leftOn: null }, []);
      expect(m).toMatchObject({ met: 0, total: 0, notApplicable: { code: 'not_in_mentoring_pair' } });
    });
  });

  describe('given the 95/96/90 worker with no recorded tasks in 2023-H1', () => {
    const metrics = [mentoring(H1, '2023-07-05', { hiredOn: '2022-01-01', leftOn: null }, [])];
    const [s] = scoreWorkers(policy, [{ worker: worker('w'), metrics, assessment: assessment(95, 96, 90) }]);
    it('scores on the committee dimensions alone: 93.67, not 56.20 不合格', () => {
      expect(s!.total).toBe(9367);
      expect(s!.dimensions.task_completion).toMatchObject({ applicable: false, score: null, effectiveWeightBp: 0 });
      expect([s!.dimensions.discipline.effectiveWeightBp, s!.dimensions.attitude.effectiveWeightBp, s!.dimensions.knowledge.effectiveWeightBp]).toEqual([
        3333, 3333, 3333,
      ]);
    });
    it('says on the sheet which metrics did not apply and where the weight went', () => {
      expect(s!.metrics.every((m) => !m.applicable && m.notApplicable)).toBe(true);
      expect(s!.notes.map((n) => n.zh)).toContainEqual(expect.stringContaining('老带新'));
      expect(s!.notes.at(-1)!.zh).toMatch(/^工作任务完成情况不适用.*不按0分计/);
    });
  });

  describe('given some metrics apply and others do not', () => {
    it('shares the weight of the others among the applicable metrics of the dimension only', () => {
      // training 10 and visits_done 25 apply: 1/2 and 4/5 → (5000×10 + 8000×25) / 35 = 7142.86 → 7143.
      const metrics = [
        { key: 'training_attended', met: 1, total: 2, evidence: [] },
        { key: 'visits_done', met: 4, total: 5, evidence: [] },
        mentoring(H1, '2023-07-05', { hiredOn: '2022-01-01', leftOn: null }, []),
      ];
      const [s] = scoreWorkers(policy, [{ worker: worker('w'), metrics, assessment: assessment(80, 80, 80) }]);
      expect(s!.dimensions.task_completion.score).toBe(7143);
      expect(s!.metrics.find((m) => m.key === 'visits_done')!.effectiveWeightBp).toBe(7143);
      expect(s!.metrics.find((m) => m.key === 'training_attended')!.effectiveWeightBp).toBe(2857);
      expect(s!.metrics.find((m) => m.key === 'mentoring')).toMatchObject({ applicable: false, effectiveWeightBp: 0 });
      expect(s!.dimensions.task_completion.effectiveWeightBp).toBe(4000);
    });
  });

  describe('given a proactive application (政策找人) that was denied', () => {
    it('counts for the worker who found the household', () => {
      const m = submissionsApproved(H1, [
        { caseId: 'c1', decisionId: 'd1', decisionDate: '2023-03-01', outcome: 'denied' },
        { caseId: 'c2', decisionId: 'd2', decisionDate: '2023-04-01', outcome: 'granted' },
      ]);
      expect(m).toMatchObject({ met: 2, total: 2 });
      expect(m.evidence.map((e) => e.kind)).toEqual(['proactive_application_denied', 'proactive_application_granted']);
    });
  });
});
