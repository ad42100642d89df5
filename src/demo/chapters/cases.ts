/**
 * Chapter "cases": the county's assistance year. The rules first (the 2023 working-day calendar,
 * the 2023 policy version, the towns' 临时救助 reserve funds), then the named stories
 * (case-stories.ts), then everyday cases of every program and state (case-bulk.ts): about 3,000
 * decisions at county scale, a tenth at sample scale, one of each kind at tiny scale.
 */
import type { DemoChapter, DemoContext, DemoHousehold, DemoScale } from '../context';
import { CHINA_WORKING_DAYS_2023_2024 } from '../data/china-working-days-2023-2024';
import { SUIJIANG_ASSISTANCE_POLICY_2023 } from '../data/suijiang-assistance-policy-2023';
import { BUREAU, CaseDesk, monthsBetween } from './case-desk';
import { planCases, runPlan, type CasePlan, type RunCounts } from './case-bulk';
import { HouseholdPool } from './case-households';
import { serviceSteps, type CaseContext, type CaseSteps } from './case-steps';
import { FIRE_DAY, FIRE_GRANT_FEN, pickStoryHouseholds, recordStoryIds, runStories } from './case-stories';

const DECISIONS: Record<DemoScale, number> = { tiny: 0, sample: 300, county: 3_000, province: 3_000 };
const RULES_DAY = '2023-01-03';

async function registerRules(steps: CaseSteps): Promise<void> {
  const hasCalendar = async () => (await steps.calendarIds()).includes(CHINA_WORKING_DAYS_2023_2024.id);
  const hasPolicy = async () => (await steps.policyIds()).includes(SUIJIANG_ASSISTANCE_POLICY_2023.id);
  // The registry is the county's (province streams share it): whoever registers first wins, the others find it there.
  await once(hasCalendar, () => steps.addCalendar({ day: RULES_DAY, label: 'rules:calendar:cn-2023-2024', actor: BUREAU }, CHINA_WORKING_DAYS_2023_2024));
  await once(hasPolicy, () => steps.addPolicy({ day: RULES_DAY, label: 'rules:policy:suijiang-2023', actor: BUREAU }, SUIJIANG_ASSISTANCE_POLICY_2023));
}

async function once(exists: () => Promise<boolean>, add: () => Promise<unknown>): Promise<void> {
  if (await exists()) return;
  try {
    await add();
  } catch (error) {
    if (!(await exists())) throw error;
  }
}

/**
 * 备用金: the bureau gives each town its float in January and, at the start of each month, tops it
 * up by what that month's emergency grants will draw, so a grant never meets an empty fund.
 */
async function fundTowns(ctx: CaseContext, desk: CaseDesk, plans: readonly CasePlan[], fire: readonly DemoHousehold[]): Promise<void> {
  const float = SUIJIANG_ASSISTANCE_POLICY_2023.reserveFund.floatFenPerTown;
  const byTownMonth = new Map<string, number>();
  const add = (townId: string, month: string, fen: number) => byTownMonth.set(`${townId}|${month}`, (byTownMonth.get(`${townId}|${month}`) ?? 0) + fen);
  for (const p of plans) if (p.channel === 'emergency') add(p.household.townId, p.appliedOn.slice(0, 7), 300_000);
  for (const h of fire) add(h.townId, FIRE_DAY.slice(0, 7), FIRE_GRANT_FEN);
  for (const town of ctx.world.towns) {
    await desk.steps.topUp({ day: RULES_DAY, label: `reserve:${town.code}:float`, actor: BUREAU }, town.id, {
      fen: float,
      reference: '绥民发〔2023〕1号 乡镇临时救助备用金',
    });
    for (const month of monthsBetween('2023-01', '2023-12')) {
      const fen = byTownMonth.get(`${town.id}|${month}`);
      if (!fen) continue;
      const day = desk.workday(`${month}-01`);
      await desk.steps.topUp({ day, label: `reserve:${town.code}:${month}`, actor: BUREAU }, town.id, { fen, reference: `${month} 备用金补充` });
    }
  }
}

/**
 * The chapter's story through a backend: the rules, the towns' funds, the named stories one after
 * another, then the everyday cases side by side (each case is its own stream, its steps in order).
 */
export async function runCases(
  ctx: CaseContext & Pick<DemoContext, 'scale'>,
  steps: CaseSteps,
  progress: DemoContext['progress'] = () => undefined,
): Promise<RunCounts> {
  await registerRules(steps);
  const desk = await CaseDesk.open(ctx, steps);
  const pool = new HouseholdPool(ctx.world.households);
  // The stories pick their households first; the everyday cases take the rest.
  const picked = pickStoryHouseholds(ctx, pool);
  const plans = planCases(ctx, desk, pool, DECISIONS[ctx.scale]);
  await fundTowns(ctx, desk, plans, picked.fire);
  const counts: RunCounts = { cases: 0, decisions: 0, payments: 0 };
  const stories = await runStories(ctx, desk, picked);
  counts.cases += stories.cases;
  counts.decisions += stories.decisions;
  counts.payments += stories.payments;
  let done = 0;
  progress('cases', 0, plans.length);
  await steps.sideBySide(plans, async (p) => {
    await runPlan(ctx, desk, p, counts);
    progress('cases', ++done, plans.length);
  });
  return counts;
}

export const casesChapter: DemoChapter = {
  name: 'cases',
  async restore(ctx) {
    recordStoryIds(ctx, pickStoryHouseholds(ctx, new HouseholdPool(ctx.world.households)));
  },
  async run(ctx) {
    const counts = await runCases(ctx, serviceSteps(ctx), (chapter, done, total) => ctx.progress(chapter, done, total));
    return { cases: counts.cases, decisions: counts.decisions, payments: counts.payments };
  },
};
