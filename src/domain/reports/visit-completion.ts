import type { DueItem } from '../visits/due';
import { rateBp, type ReportDocument } from './report-document';

/**
 * 月末走访完成情况 as of a date: for the month of that date, each villager group's monthly visit
 * (一月一走访) and each special-group household's monthly visit, due vs done, per village and
 * responsible worker, with the groups not visited listed by name. No household personal data.
 */
export interface CompletionPlace {
  townNames: Map<string, string>;
  villageNames: Map<string, string>;
  groupNames: Map<string, string>;
  workerNames: Map<string, string>;
}

export interface CompletionRow {
  townId: string;
  villageId: string;
  workerId: string | null;
  groupsDue: number;
  groupsDone: number;
  householdsDue: number;
  householdsDone: number;
}

export function visitCompletionRows(items: readonly DueItem[], month: string): CompletionRow[] {
  const acc = new Map<string, CompletionRow>();
  for (const i of items) {
    if (i.month !== month || (i.obligation !== 'group_monthly_visit' && i.obligation !== 'household_monthly_visit')) continue;
    const key = `${i.townId}:${i.villageId}:${i.workerId ?? ''}`;
    let row = acc.get(key);
    if (!row)
      acc.set(
        key,
        (row = { townId: i.townId, villageId: i.villageId, workerId: i.workerId, groupsDue: 0, groupsDone: 0, householdsDue: 0, householdsDone: 0 }),
      );
    const done = i.status === 'done' ? 1 : 0;
    if (i.obligation === 'group_monthly_visit') {
      row.groupsDue++;
      row.groupsDone += done;
    } else {
      row.householdsDue++;
      row.householdsDone += done;
    }
  }
  return [...acc.values()];
}

export function visitCompletion(items: readonly DueItem[], req: { asOf: string; townId?: string }, place: CompletionPlace): ReportDocument {
  const month = req.asOf.slice(0, 7);
  const name = (m: Map<string, string>, id: string | null) => (id ? (m.get(id) ?? id) : '（无包保社工）');
  const rows = visitCompletionRows(items, month).sort(
    (a, b) =>
      cmp(name(place.townNames, a.townId), name(place.townNames, b.townId)) ||
      cmp(name(place.villageNames, a.villageId), name(place.villageNames, b.villageId)) ||
      cmp(name(place.workerNames, a.workerId), name(place.workerNames, b.workerId)),
  );
  const total = (k: keyof Omit<CompletionRow, 'townId' | 'villageId' | 'workerId'>) => rows.reduce((s, r) => s + r[k], 0);
  const missed = items
    .filter((i) => i.month === month && i.obligation === 'group_monthly_visit' && i.status !== 'done')
    .map((i) => ({
      town: name(place.townNames, i.townId),
      village: name(place.villageNames, i.villageId),
      group: name(place.groupNames, i.groupId),
      worker: name(place.workerNames, i.workerId),
      status: i.status === 'overdue' ? '逾期未走访' : '本月尚未走访',
    }))
    .sort((a, b) => cmp(a.town, b.town) || cmp(a.village, b.village) || cmp(a.group, b.group));
  return {
    name: ['visit-completion', req.asOf, req.townId ?? 'county'].join('-'),
    title: `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月走访完成情况（截至${req.asOf}）`,
    meta: [
      ['月份', month],
      ['截至日期', `${req.asOf}（仅计截至该日已记录的走访）`],
      ['范围', req.townId ? name(place.townNames, req.townId) : '全县'],
    ],
    sections: [
      {
        title: '按村（社区）与包保社工',
        columns: [
          { key: 'town', header: '乡镇', type: 'text', width: 10 },
          { key: 'village', header: '村（社区）', type: 'text', width: 12 },
          { key: 'worker', header: '包保社工', type: 'text', width: 10 },
          { key: 'groupsDue', header: '应走访小组', type: 'int', width: 9 },
          { key: 'groupsDone', header: '已走访小组', type: 'int', width: 9 },
          { key: 'groupsRate', header: '小组完成率', type: 'percent_bp', width: 9 },
          { key: 'householdsDue', header: '应走访重点户', type: 'int', width: 10 },
          { key: 'householdsDone', header: '已走访重点户', type: 'int', width: 10 },
          { key: 'householdsRate', header: '重点户完成率', type: 'percent_bp', width: 10 },
        ],
        rows: rows.map((r) => ({
          town: name(place.townNames, r.townId),
          village: name(place.villageNames, r.villageId),
          worker: name(place.workerNames, r.workerId),
          groupsDue: r.groupsDue,
          groupsDone: r.groupsDone,
          groupsRate: rateBp(r.groupsDone, r.groupsDue),
          householdsDue: r.householdsDue,
          householdsDone: r.householdsDone,
          householdsRate: rateBp(r.householdsDone, r.householdsDue),
        })),
        totals: {
          town: '合计',
          groupsDue: total('groupsDue'),
          groupsDone: total('groupsDone'),
          groupsRate: rateBp(total('groupsDone'), total('groupsDue')),
          householdsDue: total('householdsDue'),
          householdsDone: total('householdsDone'),
          householdsRate: rateBp(total('householdsDone'), total('householdsDue')),
        },
      },
      {
        title: '未完成走访的村民小组',
        columns: [
          { key: 'town', header: '乡镇', type: 'text', width: 10 },
          { key: 'village', header: '村（社区）', type: 'text', width: 12 },
          { key: 'group', header: '村民小组', type: 'text', width: 12 },
          { key: 'worker', header: '包保社工', type: 'text', width: 10 },
          { key: 'status', header: '状态', type: 'text', width: 12 },
        ],
        rows: missed,
        totals: null,
      },
    ],
    notes: ['应走访：一月一走访，每个村民小组及其中的重点户（按走访计划政策）每月至少走访一次。', '完成率无应走访事项时不计（留空）。'],
    signatures: ['制表人：', '审核人：', '日期：'],
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
