import type { CommitteeScores, Outcome } from '../../domain/performance/assessment.events';
import type { Evidence, MetricValue } from '../../domain/performance/metric';
import { isClosed, parsePeriod, type Period } from '../../domain/performance/period';
import { scoreWorkers, type WorkerScore } from '../../domain/performance/scoring';
import { scoringPolicyFor, ScoringPolicySchema, type ScoringPolicy } from '../../domain/performance/scoring-policy';
import * as q from '../../projections/performance/performance.queries';
import * as rm from '../../projections/performance/performance-metrics.queries';
import { workersEmployed, type WorkerRow } from '../../projections/performance/workforce-facts.queries';
import { decodeCursor, encodeCursor } from '../pagination';
import { MetricCounters, type SheetScore } from './metric-counters';
import { authorize } from '../permissions/permissions';
import type { Actor } from '../actor';
import { countyDate } from '../clock';
import { DomainRuleViolation } from '../../domain/shared/errors';
import type { CommandContext, CommandHandler } from '../command-handler';
import { assessments, publications, scoringPolicies } from './performance.aggregates';
import { NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import { builtinMetricSources } from './builtin-metric-sources';
import type { MetricSource } from './metric-source';
import { scoresCsv } from './performance-csv';
import type { CsvLang } from '../csv-writer';
import { performancePermissions } from '../permissions/performance.permissions';
import type { Db } from '../db';
import { PolicyVersionStream } from '../policy-version-stream';

type Reader = { actor: Actor; now: Date };

/** The score sheet of a period: every value of each worker's score; the evidence itself on drill-down (`evidence`). */
export interface ScoresView {
  period: string;
  /** 'published': frozen by the committee for a closed period; 'live': computed now. */
  source: 'published' | 'live';
  policyVersion: number;
  asOf: string;
  publication: { revision: number; eventId: string; publishedBy: string; publishedAt: string } | null;
  items: SheetScore[];
}

/** A page of one worker's evidence for one metric. */
export interface EvidencePage {
  period: string;
  workerId: string;
  metric: string;
  source: ScoresView['source'];
  total: number;
  items: Evidence[];
  nextCursor: string | null;
}

const DEFAULT_POLICY_FILE = new URL('../../../policies/scoring-policy.default.json', import.meta.url);

export class PerformanceService {
  private readonly policyVersions;
  private readonly counters: MetricCounters;

  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly sources: readonly MetricSource[] = builtinMetricSources,
  ) {
    this.counters = new MetricCounters(db, sources);
    this.policyVersions = new PolicyVersionStream(commands, {
      aggregate: scoringPolicies,
      add: (policy) => ({ type: 'AddScoringPolicyVersion' as const, data: { policy } }),
      write: performancePermissions.setScoringPolicy,
      what: 'set scoring policies',
      defaultFile: DEFAULT_POLICY_FILE,
      schema: ScoringPolicySchema,
      versions: () => this.policies(),
    });
  }

  // ── Scoring policy ─────────────────────────────────────────────────────────
  policies(): Promise<ScoringPolicy[]> {
    return q.scoringPolicies(this.db);
  }

  addPolicy(context: CommandContext, policy: Omit<ScoringPolicy, 'version'>): Promise<ScoringPolicy> {
    return this.policyVersions.add(context, policy);
  }

  seedDefaultPolicy(context: CommandContext): Promise<void> {
    return this.policyVersions.seedDefault(context);
  }

  // ── Committee assessments and outcomes ─────────────────────────────────────
  async recordAssessment(
    context: CommandContext,
    input: {
      workerId: string;
      period: string;
      scores: CommitteeScores;
      comments?: Partial<Record<keyof CommitteeScores, string>>;
      correctionReason?: string | null;
    },
  ) {
    await authorize(context.actor, performancePermissions.assess, input, 'record assessments (the evaluation committee does)');
    const period = parsePeriod(input.period);
    // Dates that follow each other: a period is assessed once it has begun, never ahead of it.
    if (period.from > countyDate(context.now)) {
      throw new DomainRuleViolation('assessment.period_not_started', `考核期 ${period.id} 自 ${period.from} 开始，尚未开始，不能评分`, {
        period: period.id,
        from: period.from,
      });
    }
    await this.assertWorker(input.workerId, period.from, period.to);
    const assessmentId = deterministicUuid(`${context.commandId}:assessment`);
    await this.commands.handle(
      assessments,
      { workerId: input.workerId, period: period.id },
      {
        type: 'RecordAssessment',
        data: {
          assessmentId,
          workerId: input.workerId,
          period: period.id,
          scores: input.scores,
          comments: { discipline: input.comments?.discipline ?? '', attitude: input.comments?.attitude ?? '', knowledge: input.comments?.knowledge ?? '' },
          correctionReason: input.correctionReason ?? null,
          assessedBy: context.actor.id,
        },
      },
      context,
    );
    return this.history({ actor: context.actor, now: context.now }, period.id, input.workerId);
  }

  async recordOutcome(context: CommandContext, input: { workerId: string; period: string; outcome: Outcome; note?: string }) {
    await authorize(context.actor, performancePermissions.assess, input, 'record outcomes (the evaluation committee does)');
    const period = parsePeriod(input.period);
    await this.assertWorker(input.workerId, period.from, period.to);
    await this.commands.handle(
      assessments,
      { workerId: input.workerId, period: period.id },
      {
        type: 'RecordOutcome',
        data: {
          outcomeId: deterministicUuid(`${context.commandId}:outcome`),
          workerId: input.workerId,
          period: period.id,
          outcome: input.outcome,
          note: input.note ?? '',
          decidedBy: context.actor.id,
        },
      },
      context,
    );
    return this.history({ actor: context.actor, now: context.now }, period.id, input.workerId);
  }

  /** Every revision of the committee's assessments, and the outcomes, for a period (one worker or all). */
  async history(reader: Reader, periodId: string, workerId?: string) {
    if (workerId) await authorize(reader.actor, performancePermissions.readWorker, workerId, "read this worker's assessments");
    else await authorize(reader.actor, performancePermissions.readAll, undefined, 'read assessments');
    const period = parsePeriod(periodId);
    return { period: period.id, assessments: await q.assessments(this.db, period.id, workerId), outcomes: await q.outcomes(this.db, period.id, workerId) };
  }

  // ── Scores ─────────────────────────────────────────────────────────────────
  async scores(reader: Reader, periodId: string, townId?: string): Promise<ScoresView> {
    await authorize(reader.actor, performancePermissions.readAll, undefined, 'read performance scores');
    const view = await this.view(reader.now, periodId);
    return townId ? { ...view, items: view.items.filter((s) => s.townId === townId) } : view;
  }

  async workerScore(reader: Reader, workerId: string, periodId: string) {
    await authorize(reader.actor, performancePermissions.readWorker, workerId, "read this worker's score");
    const view = await this.view(reader.now, periodId);
    const sheet = view.items.find((s) => s.workerId === workerId);
    if (!sheet) throw new NotFoundError('worker score', `${workerId} in ${periodId}`);
    const evidence = await this.evidenceOf(view, workerId);
    const score: WorkerScore = { ...sheet, metrics: sheet.metrics.map(({ evidenceCount: _n, ...m }) => ({ ...m, evidence: evidence.get(m.key) ?? [] })) };
    const { items: _items, ...meta } = view;
    return { ...meta, score, ...(await this.history(reader, periodId, workerId)) };
  }

  /**
   * One page of the facts behind one worker's metric (the drill-down of the sheet's evidence
   * count), in the explanation's fixed order, from the publication for a published period and
   * from the read model otherwise. The page is cut in the database and the sheet is not scored:
   * only whether the worker and the metric are on it is asked (issue 20: the drill-down scored
   * every worker and parsed all their evidence, and a published period's read the whole publication).
   */
  async evidence(
    reader: Reader,
    input: { period: string; workerId: string; metric: string; limit: number; cursor?: string | undefined },
  ): Promise<EvidencePage> {
    await authorize(reader.actor, performancePermissions.readWorker, input.workerId, "read this worker's evidence");
    const period = parsePeriod(input.period);
    const today = countyDate(reader.now);
    const from = decodeCursor<{ ordinal: number }>(input.cursor)?.ordinal ?? 0;
    const key = { period: period.id, workerId: input.workerId, metric: input.metric };
    const published = isClosed(period, today) ? await q.publishedEvidencePage(this.db, key, from, input.limit) : null;
    let page: rm.EvidenceSlice | null;
    if (published) {
      if (!published.listed) throw new NotFoundError('worker score', `${input.workerId} in ${input.period}`);
      page = published.page;
    } else {
      // The live sheet lists every worker employed in the period, with the policy's metrics and those measured.
      const policy = scoringPolicyFor(await this.policies(), period);
      const workers = await workersEmployed(this.db, period.from, period.to);
      if (!workers.some((w) => w.workerId === input.workerId)) throw new NotFoundError('worker score', `${input.workerId} in ${input.period}`);
      await this.counters.refresh(period, today, policy, workers);
      page =
        (await rm.metricEvidencePage(this.db, key, from, input.limit)) ?? (Object.hasOwn(policy.taskMetrics, input.metric) ? { total: 0, items: [] } : null);
    }
    if (!page) throw new NotFoundError('metric', `${input.metric} of ${input.workerId} in ${input.period}`);
    const next = from + page.items.length;
    return {
      period: period.id,
      workerId: input.workerId,
      metric: input.metric,
      source: published ? 'published' : 'live',
      total: page.total,
      items: page.items,
      nextCursor: next < page.total ? encodeCursor({ ordinal: next }) : null,
    };
  }

  /** A worker's evidence by metric: the publication's, or the read model's. */
  private async evidenceOf(view: ScoresView, workerId: string): Promise<Map<string, Evidence[]>> {
    return view.source === 'published' ? q.publishedWorkerEvidence(this.db, view.period, workerId) : rm.workerEvidence(this.db, view.period, workerId);
  }

  async csv(reader: Reader, periodId: string, townId?: string, lang: CsvLang = 'zh'): Promise<string> {
    const view = await this.scores(reader, periodId, townId);
    return scoresCsv(view.period, view.policyVersion, view.items, lang);
  }

  /** Freezes the period's computed scores, with the policy version used, as ScoresPublished. */
  async publish(context: CommandContext, periodId: string): Promise<ScoresView> {
    await authorize(context.actor, performancePermissions.publish, periodId, 'publish scores');
    const period = parsePeriod(periodId);
    const asOf = countyDate(context.now);
    const live = await this.compute(periodId, asOf);
    await this.commands.handle(
      publications,
      period.id,
      {
        type: 'PublishScores',
        data: {
          period: period.id,
          policyVersion: live.policyVersion,
          asOf,
          scores: live.items.map((item) => ({ ...item })),
          publishedBy: context.actor.id,
          periodClosed: isClosed(period, asOf),
        },
      },
      context,
      { retryOnConflict: true },
    );
    return this.view(context.now, periodId);
  }

  /** Published scores for a closed period that has them; live scores otherwise (from the read model). */
  private async view(now: Date, periodId: string): Promise<ScoresView> {
    const period = parsePeriod(periodId);
    const today = countyDate(now);
    const published = isClosed(period, today) ? await q.publication(this.db, period.id) : null;
    if (published) {
      return {
        period: period.id,
        source: 'published',
        policyVersion: published.policyVersion,
        asOf: published.asOf,
        publication: { revision: published.revision, eventId: published.eventId, publishedBy: published.publishedBy, publishedAt: published.publishedAt },
        items: published.sheet as SheetScore[],
      };
    }
    return { ...(await this.sheet(periodId, today)), source: 'live', publication: null };
  }

  /**
   * Live scores from the read model: the per-worker counters (brought up to date for the workers
   * events marked stale), the committee's latest assessments, and the scoring policy of the
   * period, scored and ranked as `compute` does; evidence as counts.
   */
  async sheet(periodId: string, asOf: string): Promise<{ period: string; policyVersion: number; asOf: string; items: SheetScore[] }> {
    const period = parsePeriod(periodId);
    const policy = scoringPolicyFor(await this.policies(), period);
    const workers = await workersEmployed(this.db, period.from, period.to);
    const metrics = await this.counters.metrics(period, asOf, policy, workers);
    const counts = new Map([...metrics].map(([workerId, values]) => [workerId, new Map(values.map((m) => [m.key, m.evidenceCount]))]));
    const items = await this.score(period, policy, workers, metrics);
    return {
      period: period.id,
      policyVersion: policy.version,
      asOf,
      items: items.map((item) => ({
        ...item,
        metrics: item.metrics.map(({ evidence: _none, ...m }) => ({ ...m, evidenceCount: counts.get(item.workerId)?.get(m.key) ?? 0 })),
      })),
    };
  }

  /**
   * Live scores of every worker employed in the period (all of them: ranks are county-wide),
   * computed from the facts at query time with all their evidence: what a publication freezes,
   * and the oracle the read model (`sheet`) is tested against.
   */
  async compute(periodId: string, asOf: string): Promise<{ period: string; policyVersion: number; asOf: string; items: WorkerScore[] }> {
    const period = parsePeriod(periodId);
    const policy = scoringPolicyFor(await this.policies(), period);
    const workers = await workersEmployed(this.db, period.from, period.to);
    const metrics = new Map<string, MetricValue[]>();
    for (const source of this.sources) {
      const measured = await source.measure(this.db, { period, asOf, policy, workers });
      for (const [workerId, values] of measured) metrics.set(workerId, [...(metrics.get(workerId) ?? []), ...values]);
    }
    const items = await this.score(period, policy, workers, metrics);
    return { period: period.id, policyVersion: policy.version, asOf, items };
  }

  /**
   * Measures ahead of the committee (issue 20): brings the counters of every open period whose
   * sheet has been read before, and of the current half year (the console's default), up to
   * `now`'s county day, so the first read of a day or after a restart finds them stored instead
   * of measuring every worker while the reader waits. Returns the periods it measured.
   */
  async warm(now: Date): Promise<string[]> {
    const today = countyDate(now);
    const current = `${today.slice(0, 4)}-H${Number(today.slice(5, 7)) <= 6 ? 1 : 2}`;
    const periods = new Set([current, ...(await rm.materializedPeriods(this.db))]);
    const warmed: string[] = [];
    for (const id of periods) {
      const period = parsePeriod(id);
      if (period.from > today || isClosed(period, today)) continue;
      await this.sheet(id, today);
      warmed.push(id);
    }
    return warmed;
  }

  /** Scores and ranks the workers: their metrics, the committee's latest assessment each, the policy. */
  private async score(
    period: Period,
    policy: ScoringPolicy,
    workers: readonly WorkerRow[],
    metrics: ReadonlyMap<string, MetricValue[]>,
  ): Promise<WorkerScore[]> {
    const latest = new Map((await q.assessments(this.db, period.id)).map((a) => [a.workerId, a])); // ordered by revision: last wins
    return scoreWorkers(
      policy,
      workers.map((w) => {
        const a = latest.get(w.workerId);
        return {
          worker: { workerId: w.workerId, name: w.name, level: w.level, townId: w.townId },
          metrics: metrics.get(w.workerId) ?? [],
          assessment: a ? { assessmentId: a.assessmentId, revision: a.revision, scores: a.scores } : null,
        };
      }),
    );
  }

  private async assertWorker(workerId: string, from: string, to: string): Promise<void> {
    const employed = await workersEmployed(this.db, from, to);
    if (!employed.some((w) => w.workerId === workerId)) throw new NotFoundError('worker employed in the period', workerId);
  }
}
