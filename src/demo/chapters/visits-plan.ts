import { addMonths } from '../../domain/calendar/calendar-months';
import type { SpecialGroup } from '../../domain/households/person';
import type { DemoContext, DemoGroup } from '../context';
import type { PlannedHousehold } from './households-plan';
import { responsibilityOverTime } from './workforce';

export interface PlannedVisit {
  label: string;
  workerId: string;
  groupId: string;
  householdId: string | null;
  date: string;
  /** The day it was entered: the same day mostly, a few days late now and then (within the policy's window). */
  recordedOn: string;
  kind: 'routine' | 'review' | 'care';
  findings: string;
  followUpActions: string[];
  peopleServed: number;
}

const MONTHLY: ReadonlySet<SpecialGroup> = new Set([
  'dibao',
  'tekun_scattered',
  'tekun_institution',
  'orphan',
  'de_facto_unsupported_child',
  'left_behind_child',
  'left_behind_woman',
  'left_behind_elder',
  'disability',
  'mental_disorder',
  'poverty_relapse_monitoring',
]);
const REVIEWED: ReadonlySet<SpecialGroup> = new Set(['dibao', 'tekun_scattered', 'tekun_institution']);

const GROUP_FINDINGS = [
  '组内情况平稳，无新增困难户',
  '走访组长，了解近期务工返乡情况',
  '排查独居老人安全隐患，未发现异常',
  '宣传临时救助政策，收集群众诉求',
  '了解雨季地质灾害隐患点住户情况',
];
const CARE_FINDINGS = [
  '家庭生活基本稳定，按时领取救助金',
  '老人身体状况一般，已提醒按时服药',
  '儿童在校表现良好，监护人履职正常',
  '家中收入有变化，需下次核实',
  '住房存在漏雨情况，已向村委会反映',
  '残疾人辅具需要更换，已登记需求',
];
const REVIEW_FINDINGS = [
  '动态复核：家庭收入、人口无明显变化，建议继续保障',
  '动态复核：家庭成员外出务工收入增加，建议调整救助金额',
  '动态复核：核对家庭财产情况，符合保障条件',
];

const pad = (n: number) => String(n).padStart(2, '0');
const monthOfIndex = (m: number) => `2023-${pad(m)}`;
/** The last day anything happens: the day before the demo's "today". */
const LAST_DAY = '2023-12-19';

function plusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A year of 一月一走访 with realistic misses: most groups and special households are visited
 * every month, some months are missed (more in November, and December is only two-thirds done
 * on the 20th), two workers fall behind in the autumn, and dynamic reviews of 低保 and 特困
 * households are mostly, not always, done on time. `months` limits which months are generated
 * (the sample keeps the last four, the window `/schedule/overdue` looks at).
 */
export function planVisits(ctx: Pick<DemoContext, 'rng' | 'world'>, households: readonly PlannedHousehold[], months: readonly number[]): PlannedVisit[] {
  const rng = ctx.rng('visits');
  const responsible = responsibilityOverTime(ctx.world);
  const handoverFrom = ctx.world.stories.handoverFromWorkerId;
  const handoverTo = ctx.world.stories.handoverToWorkerId;
  const villageWorkers = ctx.world.workers.filter((w) => w.level === 'village' && w.id !== handoverFrom && w.id !== handoverTo);
  const laggards = new Set(
    rng
      .shuffle(villageWorkers)
      .slice(0, Math.min(2, Math.max(0, villageWorkers.length - 1)))
      .map((w) => w.id),
  );
  const rate = (month: number, workerId: string) => {
    if (month === 12) return 0.62;
    if (laggards.has(workerId) && month >= 9) return 0.5;
    if (month === 11) return 0.86;
    return 0.94;
  };
  const visits: PlannedVisit[] = [];
  const dayIn = (month: number) => `${monthOfIndex(month)}-${pad(rng.int(month === 1 ? 16 : 3, month === 12 ? 19 : 27))}`;
  const recorded = (date: string) => {
    if (!rng.chance(0.08)) return date;
    const late = plusDays(date, rng.int(1, 3));
    return late > LAST_DAY ? date : late;
  };

  const groupsById = new Map<string, DemoGroup>(ctx.world.groups.map((g) => [g.id, g]));
  for (const month of months) {
    for (const group of ctx.world.groups) {
      const date = dayIn(month);
      const workerId = responsible(group, date);
      if (!workerId || !rng.chance(rate(month, workerId))) continue;
      visits.push({
        label: `visit:group:${group.code}:${month}`,
        workerId,
        groupId: group.id,
        householdId: null,
        date,
        recordedOn: recorded(date),
        kind: 'routine',
        findings: rng.pick(GROUP_FINDINGS),
        followUpActions: [],
        peopleServed: rng.int(3, 15),
      });
    }
  }

  for (const h of households) {
    const monthly = h.memberships.filter((m) => MONTHLY.has(m.group));
    if (monthly.length === 0) continue;
    const group = groupsById.get(h.group.id)!;
    // Reviews fall due every 6 (unstable income, someone able to work) or 12 months from enrolment.
    const reviewed = h.memberships.filter((m) => REVIEWED.has(m.group));
    const reviewMonths = new Set<number>();
    if (reviewed.length) {
      const long = reviewed.some((m) => m.group !== 'dibao') || h.incomeStability === 'stable' || !h.members.some((m) => m.labourCapacity !== 'none');
      const step = long ? 12 : 6;
      for (let due = addMonths(reviewed.map((m) => m.from).sort()[0]!, step); due <= LAST_DAY; due = addMonths(due, step)) {
        if (due >= '2023-01-01') reviewMonths.add(Number(due.slice(5, 7)));
      }
    }
    for (const month of months) {
      const date = dayIn(month);
      if (date <= h.registeredOn) continue;
      const workerId = responsible(group, date);
      if (!workerId) continue;
      const review = reviewMonths.has(month) && rng.chance(0.85);
      if (!review && !rng.chance(rate(month, workerId))) continue;
      visits.push({
        label: `visit:household:${h.label}:${month}`,
        workerId,
        groupId: group.id,
        householdId: h.id,
        date,
        recordedOn: recorded(date),
        kind: review ? 'review' : 'care',
        findings: review ? rng.pick(REVIEW_FINDINGS) : rng.pick(CARE_FINDINGS),
        followUpActions: rng.chance(0.1) ? [rng.pick(['协助申请临时救助', '转介残联办理辅具', '联系学校了解就学情况', '报告村委会维修住房'])] : [],
        peopleServed: h.members.length,
      });
    }
  }
  return visits;
}
