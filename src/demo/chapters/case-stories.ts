/**
 * The demo county's named assistance stories, each recorded in `ctx.world.stories` so that tests
 * and the README's walk-through find them:
 * - the fire of 2023-06-08 (the article): four households of a villager group of 回望村 lose
 *   their homes; the town grants 临时救助 the same day (先行救助), pays it once, and completes
 *   the paperwork after the home investigation;
 * - a 低保 case whose 25-working-day clock crosses the National Day holiday and the 调休
 *   working weekend of 7–8 October (submitted and checked on those two days);
 * - a 低保 refusal whose written reasons are the rules that failed;
 * - an objection during the notice period, a new investigation, a new notice, and a grant.
 */
import type { DemoHousehold } from '../context';
import type { CaseContext } from './case-steps';
import { dibaoFacts, residenceOf } from './case-facts';
import { caseIdFor, monthsBetween, type CaseDesk } from './case-desk';
import type { HouseholdPool } from './case-households';

export const FIRE_DAY = '2023-06-08';
export const FIRE_GRANT_FEN = 200_000;

export interface StoryCounts {
  cases: number;
  decisions: number;
  payments: number;
}

/** The village of the fire: 回望村 when the world has it, else a village of 中城镇, else the first. */
function fireHouseholds(ctx: CaseContext, pool: HouseholdPool): DemoHousehold[] {
  const { villages, towns } = ctx.world;
  const zhongcheng = towns.find((t) => t.name === '中城镇');
  const inTown = villages.filter((v) => v.townId === zhongcheng?.id);
  const village = villages.find((v) => v.name.includes('回望')) ?? inTown.find((v) => v.kind === 'village') ?? inTown[0] ?? villages[0];
  return pool.take('temporary', 4, (h) => h.villageId === village?.id);
}

export interface StoryHouseholds {
  fire: DemoHousehold[];
  holiday: DemoHousehold | undefined;
  refusal: DemoHousehold | undefined;
  objection: DemoHousehold | undefined;
}

/** The stories' households, taken before the everyday cases take theirs. */
export function pickStoryHouseholds(ctx: CaseContext, pool: HouseholdPool): StoryHouseholds {
  const fire = fireHouseholds(ctx, pool);
  const [holiday, refusal, objection] = pool.take('dibao', 3);
  return { fire, holiday, refusal, objection };
}

/**
 * The stories' ids in `ctx.world.stories`: from deterministic ids, so a restored run finds them
 * without reading; or, after a run, the ids the service answered (the same in process, where the
 * service derives them from the command ids; drawn by the service over HTTP).
 */
export function recordStoryIds(ctx: CaseContext, picked: StoryHouseholds, caseIdOf = (key: string) => caseIdFor(ctx, key)): void {
  const stories = ctx.world.stories;
  if (picked.fire[0]) {
    stories.fireCaseIds = picked.fire.map((_, i) => caseIdOf(`story:fire:${i + 1}`)).join(',');
    stories.fireCaseId = caseIdOf('story:fire:1');
    stories.fireHouseholdId = picked.fire[0].id;
    stories.fireHouseholdIds = picked.fire.map((h) => h.id).join(',');
    stories.fireGroupId = picked.fire[0].groupId;
  }
  if (picked.holiday) stories.holidayCaseId = caseIdOf('story:holiday-clock');
  if (picked.refusal) stories.refusalCaseId = caseIdOf('story:refusal');
  if (picked.objection) stories.objectionCaseId = caseIdOf('story:objection');
}

export async function runStories(ctx: CaseContext, desk: CaseDesk, picked: StoryHouseholds): Promise<StoryCounts> {
  const counts: StoryCounts = { cases: 0, decisions: 0, payments: 0 };
  /** Story key → the case id the service answered. */
  const caseIds = new Map<string, string>();
  const apply = async (...args: Parameters<CaseDesk['apply']>) => {
    const caseId = await desk.apply(...args);
    caseIds.set(args[0], caseId);
    return caseId;
  };
  const residence = (h: DemoHousehold) => residenceOf(ctx.world.villages.find((v) => v.id === h.villageId)?.kind);
  const village = (h: DemoHousehold) => ctx.world.villages.find((v) => v.id === h.villageId)?.name ?? '';

  // ── the fire of 2023-06-08 ─────────────────────────────────────────────────
  const burnt = picked.fire;
  for (const [i, h] of burnt.entries()) {
    const key = `story:fire:${i + 1}`;
    const caseId = await apply(key, FIRE_DAY, h, 'temporary', 'emergency');
    const facts = {
      cause: 'fire',
      description: `${FIRE_DAY} ${village(h)}突发火灾，房屋及生活用品化为灰烬`,
      occurredOn: FIRE_DAY,
      requestedFen: FIRE_GRANT_FEN,
      emergency: true,
    };
    await desk.grantEmergency(key, caseId, FIRE_DAY, h, facts);
    await desk.payOneOff(key, caseId, FIRE_DAY, h, 'town');
    const visited = desk.workday('2023-06-12');
    await desk.investigate(key, caseId, visited, h, facts, '火灾属实，房屋烧毁，已安置在亲属家中');
    await desk.completeEmergency(key, caseId, desk.after(visited, 1)!, h);
    counts.cases++;
    counts.decisions += 2;
    counts.payments++;
  }

  // ── 低保 across the National Day holiday and the 调休 weekend ────────────────
  const holiday = picked.holiday;
  if (holiday) {
    const key = 'story:holiday-clock';
    const caseId = await apply(key, '2023-09-14', holiday, 'dibao', 'self');
    await desk.accept(key, caseId, '2023-09-15', holiday);
    await desk.investigate(key, caseId, '2023-09-18', holiday, dibaoFacts(holiday, residence(holiday), '2023-09-18', ctx.rng(key), true, 0.3));
    await desk.notice(key, caseId, '2023-09-19', holiday);
    // The notice ended on 26 September; the holiday followed; the town worked the 调休 Saturday and Sunday.
    await desk.submit(key, caseId, '2023-10-07', holiday);
    await desk.check(key, caseId, '2023-10-08', holiday);
    await desk.decide(key, caseId, '2023-10-09', holiday, 'county');
    for (const month of monthsBetween('2023-11', '2023-12')) if (await desk.payMonth(key, caseId, month, holiday)) counts.payments++;
    counts.cases++;
    counts.decisions++;
  }

  // ── a refusal with reasons ─────────────────────────────────────────────────
  const refused = picked.refusal;
  if (refused) {
    const key = 'story:refusal';
    const caseId = await apply(key, '2023-08-01', refused, 'dibao', 'self');
    await desk.accept(key, caseId, '2023-08-02', refused);
    const facts = {
      ...dibaoFacts(refused, residence(refused), '2023-08-04', ctx.rng(key), false, 2.2),
      property: { financialAssetsFen: 0, vehicles: 1, housingUnits: 1 },
    };
    await desk.investigate(key, caseId, '2023-08-04', refused, facts, '家中有小型汽车一辆，家庭成员在县城务工');
    await desk.notice(key, caseId, '2023-08-07', refused);
    await desk.submit(key, caseId, '2023-08-15', refused);
    await desk.check(key, caseId, '2023-08-16', refused);
    // No reasons typed: the written reasons are the failed rules' own (收入、车辆).
    await desk.decide(key, caseId, '2023-08-17', refused, 'county');
    await desk.notifyRefusal(key, caseId, '2023-08-18', refused);
    counts.cases++;
    counts.decisions++;
  }

  // ── an objection during the notice period ──────────────────────────────────
  const objected = picked.objection;
  if (objected) {
    const key = 'story:objection';
    const rng = ctx.rng(key);
    const caseId = await apply(key, '2023-07-03', objected, 'dibao', 'self');
    await desk.accept(key, caseId, '2023-07-04', objected);
    const facts = dibaoFacts(objected, residence(objected), '2023-07-06', rng, true, 0.4);
    await desk.investigate(key, caseId, '2023-07-06', objected, facts);
    await desk.notice(key, caseId, '2023-07-07', objected);
    await desk.objection(key, caseId, '2023-07-11', objected, '村民反映该户在县城有商铺出租收入');
    // Back to investigation: the shop turned out to be a relative's; a new notice follows.
    await desk.investigate(`${key}:again`, caseId, '2023-07-17', objected, facts, '复查核实：商铺系其亲属所有，异议不成立');
    await desk.notice(`${key}:again`, caseId, '2023-07-18', objected);
    await desk.submit(key, caseId, '2023-07-26', objected);
    await desk.check(key, caseId, '2023-07-27', objected);
    await desk.decide(key, caseId, '2023-07-28', objected, 'county');
    for (const month of monthsBetween('2023-08', '2023-12')) if (await desk.payMonth(key, caseId, month, objected)) counts.payments++;
    counts.cases++;
    counts.decisions++;
  }
  recordStoryIds(ctx, picked, (key) => caseIds.get(key)!);
  return counts;
}
