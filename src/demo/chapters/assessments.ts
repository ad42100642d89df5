/**
 * Chapter "assessments": the evaluation committee (考核小组) scores every hired worker on work
 * discipline, attitude and professional knowledge for 2023-H1 (in early July, with one
 * correction) and 2023-H2 (in mid-December, the period still running); the H1 scores — committee
 * scores plus the task completion the event history shows — are published (frozen) on 15 July,
 * and the committee records the rewards and reminders that follow from the ratings.
 */
import type { Actor } from '../../application/actor';
import type { DemoChapter, DemoContext, Rng } from '../context';
import { DEMO_COUNTY_CODE } from '../seed-constants';
import { commandAt, sideBySideInProcess, type SideBySide, type StepAt } from './story-steps';

export const EVALUATOR: Actor = { id: 'demo-evaluation-committee', role: 'evaluator' };
const H1 = { period: '2023-H1', assessedOn: '2023-07-05', correctedOn: '2023-07-07', publishedOn: '2023-07-14' };
const H2 = { period: '2023-H2', assessedOn: '2023-12-18' };

/** Most workers do well; about one in ten is weak in one dimension. */
function committeeScores(rng: Rng) {
  const weak = rng.chance(0.1);
  const score = () => rng.int(weak ? 55 : 78, weak ? 75 : 98);
  return { discipline: score(), attitude: score(), knowledge: score() };
}

type Performance = DemoContext['services']['performance'];

/** A worker's published score as the chapter reads it. */
export interface PublishedScore {
  workerId: string;
  status: string;
  rating: string | null;
}

/**
 * Where the committee's acts go (as for the cases, see case-steps.ts): the performance service in
 * process (`assessmentServiceSteps`), or the REST API from the HTTP loader.
 */
export interface AssessmentSteps {
  recordAssessment(at: StepAt, input: Parameters<Performance['recordAssessment']>[1]): Promise<void>;
  publish(at: StepAt, period: string): Promise<readonly PublishedScore[]>;
  recordOutcome(at: StepAt, input: Parameters<Performance['recordOutcome']>[1]): Promise<void>;
  sideBySide: SideBySide;
}

export function assessmentServiceSteps(ctx: Pick<DemoContext, 'at' | 'services' | 'inFlight'>): AssessmentSteps {
  const performance = ctx.services.performance;
  const at = commandAt(ctx);
  return {
    recordAssessment: async (s, input) => void (await performance.recordAssessment(at(s), input)),
    publish: async (s, period) => (await performance.publish(at(s), period)).items,
    recordOutcome: async (s, input) => void (await performance.recordOutcome(at(s), input)),
    sideBySide: sideBySideInProcess(ctx),
  };
}

/** The chapter's story through a backend. */
export async function runAssessments(
  ctx: Pick<DemoContext, 'rng' | 'world' | 'countyCode'>,
  steps: AssessmentSteps,
  progress: DemoContext['progress'] = () => undefined,
): Promise<Record<string, number>> {
  const rng = ctx.rng('assessments');
  // Every hired worker, support staff included (the bureau's 考核管理办法 covers all it hires).
  const workers = ctx.world.workers;
  const counts = { assessments: 0, corrections: 0, published: 0, outcomes: 0 };

  let done = 0;
  const tick = () => progress('assessments', ++done, workers.length * 2);
  // Drawn in the workers' order before anything runs, so the scores never depend on timing.
  const h1Scores = workers.map(() => committeeScores(rng));
  const h2Scores = workers.map(() => committeeScores(rng));
  await steps.sideBySide(workers, async (w, i) => {
    await steps.recordAssessment(
      { day: H1.assessedOn, label: `assessment:${H1.period}:${w.id}`, actor: EVALUATOR },
      {
        workerId: w.id,
        period: H1.period,
        scores: h1Scores[i]!,
        comments: { discipline: '按时到岗，遵守纪律', attitude: '服务群众耐心细致', knowledge: '熟悉社会救助政策' },
      },
    );
    counts.assessments++;
    tick();
  });
  // One score was typed wrongly and corrected, with the reason, before publication.
  const corrected = workers[0];
  if (corrected) {
    await steps.recordAssessment(
      { day: H1.correctedOn, label: `assessment:${H1.period}:${corrected.id}:correction`, actor: EVALUATOR },
      {
        workerId: corrected.id,
        period: H1.period,
        scores: { discipline: 92, attitude: 94, knowledge: 88 },
        correctionReason: '业务知识得分录入错误，按考核记录表更正',
      },
    );
    counts.corrections++;
  }

  // A period's scores are published once for the deployment: at province scale, by the first county only.
  const publishing = (ctx.countyCode ?? DEMO_COUNTY_CODE) === DEMO_COUNTY_CODE;
  const published = publishing ? await steps.publish({ day: H1.publishedOn, label: `publish:${H1.period}`, actor: EVALUATOR }, H1.period) : [];
  const mine = new Set(workers.map((w) => w.id));
  counts.published = published.filter((s) => s.status === 'rated' && mine.has(s.workerId)).length;
  // Rewards and penalties follow the ratings (优秀 commended, 不合格 warned).
  for (const s of published.filter((x) => mine.has(x.workerId))) {
    const outcome = s.rating === '优秀' ? 'commendation' : s.rating === '不合格' ? 'warning' : null;
    if (!outcome) continue;
    await steps.recordOutcome(
      { day: H1.publishedOn, label: `outcome:${H1.period}:${s.workerId}`, actor: EVALUATOR },
      {
        workerId: s.workerId,
        period: H1.period,
        outcome,
        note: outcome === 'commendation' ? '评为2023年上半年优秀社工' : '考核不合格，限期整改',
      },
    );
    counts.outcomes++;
  }

  await steps.sideBySide(workers, async (w, i) => {
    await steps.recordAssessment(
      { day: H2.assessedOn, label: `assessment:${H2.period}:${w.id}`, actor: EVALUATOR },
      { workerId: w.id, period: H2.period, scores: h2Scores[i]! },
    );
    counts.assessments++;
    tick();
  });
  return counts;
}

export const assessmentsChapter: DemoChapter = {
  name: 'assessments',
  run: (ctx) => runAssessments(ctx, assessmentServiceSteps(ctx), (chapter, done, total) => ctx.progress(chapter, done, total)),
};
