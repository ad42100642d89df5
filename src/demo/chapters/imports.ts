/**
 * Chapter "imports": other departments' data through the year (大数据比对) — 医保 settlements,
 * 教体 school status, 残联 certificates, 应急管理 (the fire of 2023-06-08 among them), 乡村振兴
 * monitoring, 卫健 diagnoses — imported as the bureau does (`ctx.services.detection.imports`).
 * Rows over a threshold raise findings; each finding is a task for the group's responsible
 * worker, with a deadline. Most are answered on time by that worker, some late, some still open
 * on the demo's last day (overdue, or not yet due for December's batch); a few rows are rejected.
 */
import type { Actor } from '../../application/actor';
import type { StagedRecord } from '../../application/detection/staged-record';
import { yieldEvery } from '../../application/yield-to-event-loop';
import { addDays } from '../../domain/calendar/working-days.iso-date';
import type { Outcome, Source } from '../../domain/detection/vocabulary';
import type { DemoChapter, DemoContext, DemoHousehold, DemoMember, Rng } from '../context';
import { DEMO_COUNTY_CODE } from '../seed-constants';
import { ageOn } from './case-facts';
import { BUREAU, DEMO_LAST_DAY } from './case-desk';
import type { CaseContext } from './case-steps';
import { commandAt, type StepAt } from './story-steps';

type Row = Record<string, string>;

interface PlannedImport {
  key: string;
  source: Source;
  day: string;
  rows: Row[];
}

const FIRE_LIST = 'emergency-2023-06';
const ROWS: Record<DemoContext['scale'], number> = { tiny: 6, sample: 40, county: 300, province: 300 };

const yuan = (rng: Rng, min: number, max: number) => String(rng.int(min, max));

function membersOf(ctx: Pick<DemoContext, 'world'>, rng: Rng, n: number, fits: (m: DemoMember) => boolean): { h: DemoHousehold; m: DemoMember }[] {
  const all = ctx.world.households.flatMap((h) => h.members.filter(fits).map((m) => ({ h, m })));
  return rng.shuffle(all).slice(0, n);
}

const subject = (m: DemoMember) => ({ idNumber: m.idNumber, name: m.name });

/** The year's batches, from the seed and the world alone. */
export function planImports(ctx: Pick<DemoContext, 'rng' | 'scale' | 'world'>): PlannedImport[] {
  const rng = ctx.rng('imports');
  const n = ROWS[ctx.scale];
  const adults = (m: DemoMember) => ageOn(m.birthDate, '2023-06-30') >= 18;
  const pupils = (m: DemoMember) => ageOn(m.birthDate, '2023-06-30') >= 6 && ageOn(m.birthDate, '2023-06-30') < 18;
  const plans: PlannedImport[] = [];

  const medical = (key: string, day: string, month: string) => {
    const rows = membersOf(ctx, rng, n, adults).map(({ m }, i) => ({
      ...subject(m),
      settlementId: `YB${month.replace('-', '')}${String(i + 1).padStart(5, '0')}`,
      settledOn: `${month}-${String(rng.int(1, 25)).padStart(2, '0')}`,
      // Most settlements are small; one in five passes ¥20,000 out of pocket, a few ¥50,000.
      outOfPocket: rng.chance(0.2) ? yuan(rng, 20_500, 62_000) : yuan(rng, 300, 9_000),
    }));
    // A date the bureau's clerk mistyped: rejected with its reason, the rest applied.
    if (rows[0]) rows.push({ ...rows[0], settlementId: `YB${month.replace('-', '')}99999`, settledOn: `${month.slice(0, 4)}-13-0${rng.int(1, 9)}` });
    plans.push({ key, source: 'medical_insurance', day, rows });
  };
  medical('medical-2023q1', '2023-03-15', '2023-02');
  plans.push({
    key: 'education-2023-spring',
    source: 'education',
    day: '2023-03-20',
    rows: membersOf(ctx, rng, n, pupils).map(({ m }) => ({
      ...subject(m),
      schoolStatus: rng.pick(['enrolled', 'enrolled', 'enrolled', 'dropout', 'suspended']),
      reportedOn: '2023-03-10',
      schoolAid: rng.chance(0.3) ? 'true' : 'false',
    })),
  });
  plans.push({
    key: 'disability-2023-05',
    source: 'disability_federation',
    day: '2023-05-10',
    rows: membersOf(ctx, rng, Math.ceil(n / 2), adults).map(({ m }, i) => ({
      ...subject(m),
      disabilityType: rng.pick(['physical', 'visual', 'hearing', 'intellectual', 'mental']),
      grade: String(rng.int(1, 4)),
      certifiedOn: '2023-04-28',
      certificateNumber: `CJ2023${String(i + 1).padStart(5, '0')}`,
    })),
  });
  // The fire of 2023-06-08: the emergency bureau's list of the households that lost their homes.
  const fireHouseholds = (ctx.world.stories.fireHouseholdIds ?? '').split(',').filter(Boolean);
  const fireRows = fireHouseholds
    .map((id) => ctx.world.households.find((h) => h.id === id)!)
    .map((h) => ({
      ...subject(h.members[0]!),
      eventKind: 'disaster',
      occurredOn: '2023-06-08',
      loss: yuan(rng, 40_000, 90_000),
      injury: 'none',
      description: '房屋火灾',
    }));
  const flood = membersOf(ctx, rng, Math.ceil(n / 3), adults).map(({ m }) => ({
    ...subject(m),
    eventKind: rng.pick(['disaster', 'accident']),
    occurredOn: '2023-07-22',
    loss: rng.chance(0.5) ? yuan(rng, 6_000, 30_000) : yuan(rng, 500, 2_500),
    injury: rng.pick(['none', 'none', 'minor', 'serious']),
  }));
  plans.push({ key: FIRE_LIST, source: 'emergency_management', day: '2023-06-09', rows: fireRows.length > 0 ? fireRows : flood.slice(0, 1) });
  plans.push({ key: 'emergency-2023-07', source: 'emergency_management', day: '2023-07-25', rows: flood });
  // 乡村振兴 monitoring lists. (No one outside the registry: the index draws such a person's id at
  // random, which would make two loads of one seed differ.)
  const monitored: Row[] = membersOf(ctx, rng, Math.ceil(n / 2), adults).map(({ m }) => ({
    ...subject(m),
    monitoringType: rng.pick(['unstable_poverty_alleviated', 'marginal_vulnerable', 'sudden_hardship']),
    riskCause: rng.pick(['illness', 'schooling', 'disability', 'disaster', 'accident']),
    monitoredOn: '2023-08-01',
  }));
  plans.push({ key: 'rural-2023-08', source: 'rural_revitalization', day: '2023-08-15', rows: monitored });
  plans.push({
    key: 'health-2023-10',
    source: 'health',
    day: '2023-10-12',
    rows: membersOf(ctx, rng, Math.ceil(n / 2), adults).map(({ m }) => ({
      ...subject(m),
      category: rng.pick(['serious_illness', 'chronic_disease', 'severe_mental_disorder']),
      diagnosedOn: '2023-09-2' + rng.int(0, 8),
    })),
  });
  // December's batch: its tasks are still running on the demo's last day.
  medical('medical-2023q4', '2023-12-05', '2023-11');
  return plans;
}

async function* staged(rows: readonly Row[]): AsyncGenerator<StagedRecord> {
  for (const [i, record] of rows.entries()) yield { row: i + 1, record };
}

const AGENCY: Record<string, string> = {
  illness: '县医疗保障局',
  schooling: '县教育体育局',
  disability: '县残疾人联合会',
  disaster: '县应急管理局',
  accident: '县应急管理局',
  person_found: '县公安局户政窗口',
};

/** What happens to a task: answered on time, late, or not (yet). */
function fate(rng: Rng, index: number): 'on_time' | 'late' | 'open' {
  // The first finding of the year is never answered (the overdue task every county has); the second is, on time.
  if (index === 0) return 'open';
  if (index === 1) return 'on_time';
  const r = rng.next();
  return r < 0.7 ? 'on_time' : r < 0.82 ? 'late' : 'open';
}

/** A finding as the chapter reads it: its task, and its household (null for a person found in no household). */
export interface ImportedFinding {
  id: string;
  taskId: string;
  householdId: string | null;
}

/** A task as the chapter reads it on a day: when it was raised, its deadline, its place and its assignee that day. */
export interface ImportTask {
  raisedOn: string;
  deadline: string;
  groupId: string | null;
  cause: string;
  assigneeId: string | null;
}

/**
 * Where the chapter's acts go (as for the cases, see case-steps.ts): the detection services in
 * process (`importServiceSteps`), or the REST API from the HTTP loader. Reads are dated too: a
 * task's assignee is the group's responsible worker on the day it is read.
 */
export interface ImportSteps {
  importRows(at: StepAt, input: { source: Source; batchId: string; rows: readonly Row[] }): Promise<{ id: string; rowCount: number; rejected: number }>;
  findingsOf(at: StepAt, importId: string): Promise<readonly ImportedFinding[]>;
  task(at: StepAt, taskId: string): Promise<ImportTask>;
  recordOutcome(at: StepAt, taskId: string, input: { on: string; outcome: Outcome }): Promise<void>;
}

export function importServiceSteps(ctx: Pick<DemoContext, 'at' | 'services'>): ImportSteps {
  const { imports, findings, tasks } = ctx.services.detection;
  const at = commandAt(ctx);
  return {
    async importRows(s, input) {
      const result = await imports.import(at(s), { source: input.source, batchId: input.batchId, records: staged(input.rows) });
      return result.import;
    },
    findingsOf: async (s, importId) => (await findings.list(at(s), { importId }, { limit: 1000 })).items,
    task: (s, taskId) => tasks.get(at(s), taskId),
    recordOutcome: async (s, taskId, input) => void (await tasks.recordOutcome(at(s), taskId, input)),
  };
}

/** The chapter's story through a backend: the year's batches in order, each one's findings answered (or not) one by one. */
export async function runImports(
  ctx: CaseContext & Pick<DemoContext, 'scale' | 'countyCode'>,
  steps: ImportSteps,
  progress: DemoContext['progress'] = () => undefined,
): Promise<Record<string, number>> {
  const plans = planImports(ctx);
  const counts = { imports: 0, rows: 0, rejected: 0, findings: 0, answered: 0, answeredLate: 0, open: 0 };
  const role = new Map(
    ctx.world.workers.map((w) => [w.id, w.level === 'village' ? 'village_worker' : w.level === 'town' ? 'town_worker' : 'county_worker'] as const),
  );
  const fireCases = new Map(
    (ctx.world.stories.fireHouseholdIds ?? '').split(',').map((h, i) => [h, (ctx.world.stories.fireCaseIds ?? '').split(',')[i]!] as const),
  );
  const rng = ctx.rng('imports:outcomes');
  let index = 0;
  // Outcomes are answered one by one (each draws from the stream in order); the event loop gets a turn between them.
  const yieldTurn = yieldEvery(1);
  for (const [n, plan] of plans.entries()) {
    progress('imports', n, plans.length);
    const result = await steps.importRows(
      { day: plan.day, label: `import:${plan.key}`, actor: BUREAU },
      { source: plan.source, batchId: `${ctx.countyCode ?? DEMO_COUNTY_CODE}-${plan.key}`, rows: plan.rows },
    );
    counts.imports++;
    counts.rows += result.rowCount;
    counts.rejected += result.rejected;
    const read = (day: string): StepAt => ({ day, label: 'read', actor: BUREAU });
    const raised = [...(await steps.findingsOf(read(plan.day), result.id))].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const f of raised) {
      counts.findings++;
      // The fire households on the emergency bureau's list: the town had helped them the day before.
      const fireCase = plan.key === FIRE_LIST && f.householdId ? fireCases.get(f.householdId) : undefined;
      const answer = fireCase ? 'on_time' : fate(rng, index++);
      const task = await steps.task(read(plan.day), f.taskId);
      const day =
        answer === 'on_time'
          ? addDays(task.raisedOn, rng.int(1, Math.max(1, daysBetween(task.raisedOn, task.deadline) - 1)))
          : addDays(task.deadline, rng.int(2, 12));
      if (answer === 'open' || day > DEMO_LAST_DAY || !task.groupId) {
        counts.open++;
        continue;
      }
      // The worker responsible for the group on that day answers it.
      const assignee = (await steps.task(read(day), f.taskId)).assigneeId;
      const actor: Actor = assignee && role.has(assignee) ? { id: assignee, role: role.get(assignee)! } : BUREAU;
      const outcome: Outcome = fireCase
        ? { kind: 'visited_enrolled', applicationId: fireCase }
        : rng.chance(0.5)
          ? { kind: 'referred', agency: AGENCY[task.cause] ?? '县民政局' }
          : { kind: 'no_need', reason: '入户核实，家庭收入稳定，基本生活暂无困难' };
      await steps.recordOutcome({ day, label: `import:${plan.key}:task:${f.id}`, actor }, f.taskId, { on: day, outcome });
      await yieldTurn();
      if (answer === 'late') counts.answeredLate++;
      else counts.answered++;
    }
  }
  progress('imports', plans.length, plans.length);
  return counts;
}

export const importsChapter: DemoChapter = {
  name: 'imports',
  run: (ctx) => runImports(ctx, importServiceSteps(ctx), (chapter, done, total) => ctx.progress(chapter, done, total)),
};

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
