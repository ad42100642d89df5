import type { Program } from '../assistance/case.events';
import { PROGRAM_LABELS, PROGRAM_ORDER, RESIDENCE_LABELS } from './labels';
import { paymentInMonth, personsCovered, residenceOf, type Ledger } from './payment-ledger';
import type { ReportDocument } from './report-document';

/**
 * 社会救助月度统计报表 for the city, as of the month's end: households, persons and spending by
 * program, urban and rural. A household counts once per program (two cases of one household in
 * one program would be one household); 临时救助 counts the households helped in the month.
 */
export interface StatisticsRow {
  program: Program;
  residence: 'urban' | 'rural';
  households: number;
  persons: number;
  monthlyFen: number;
  oneOffFen: number;
  totalFen: number;
}

export function monthlyStatisticsRows(ledger: Ledger, month: string, villageKinds: Map<string, string>, townId?: string): StatisticsRow[] {
  const acc = new Map<string, StatisticsRow & { householdIds: Set<string> }>();
  for (const c of ledger.cases.values()) {
    if (townId && c.townId !== townId) continue;
    const pay = paymentInMonth(c, month);
    if (!pay) continue;
    const residence = residenceOf(pay.decision, villageKinds.get(c.villageId));
    const key = `${c.program}:${residence}`;
    let row = acc.get(key);
    if (!row)
      acc.set(key, (row = { program: c.program, residence, households: 0, persons: 0, monthlyFen: 0, oneOffFen: 0, totalFen: 0, householdIds: new Set() }));
    if (!row.householdIds.has(c.householdId)) {
      row.householdIds.add(c.householdId);
      row.households++;
    }
    row.persons += personsCovered(c, pay.decision, ledger.households.get(c.householdId));
    row.monthlyFen += pay.monthlyFen;
    row.oneOffFen += pay.oneOffFen;
    row.totalFen += pay.monthlyFen + pay.oneOffFen;
  }
  const rows: StatisticsRow[] = [];
  for (const program of PROGRAM_ORDER) {
    for (const residence of ['urban', 'rural'] as const) {
      const r = acc.get(`${program}:${residence}`);
      rows.push(
        r
          ? { program, residence, households: r.households, persons: r.persons, monthlyFen: r.monthlyFen, oneOffFen: r.oneOffFen, totalFen: r.totalFen }
          : { program, residence, households: 0, persons: 0, monthlyFen: 0, oneOffFen: 0, totalFen: 0 },
      );
    }
  }
  return rows;
}

export function monthlyStatistics(
  ledger: Ledger,
  req: { month: string; asOf: string; townId?: string; townName?: string },
  villageKinds: Map<string, string>,
): ReportDocument {
  const rows = monthlyStatisticsRows(ledger, req.month, villageKinds, req.townId);
  const sum = (rs: StatisticsRow[], k: 'households' | 'persons' | 'monthlyFen' | 'oneOffFen' | 'totalFen') => rs.reduce((s, r) => s + r[k], 0);
  const columns = [
    { key: 'program', header: '救助项目', type: 'text' as const, width: 26 },
    { key: 'residence', header: '城乡', type: 'text' as const, width: 8 },
    { key: 'households', header: '户数（户）', type: 'int' as const, width: 10 },
    { key: 'persons', header: '人数（人）', type: 'int' as const, width: 10 },
    { key: 'monthly', header: '按月发放（元）', type: 'fen' as const, width: 14 },
    { key: 'oneOff', header: '一次性救助（元）', type: 'fen' as const, width: 14 },
    { key: 'total', header: '支出合计（元）', type: 'fen' as const, width: 14 },
  ];
  const body: Record<string, string | number | null>[] = [];
  for (const program of PROGRAM_ORDER) {
    const mine = rows.filter((r) => r.program === program);
    for (const r of mine)
      body.push({
        program: PROGRAM_LABELS[program],
        residence: RESIDENCE_LABELS[r.residence],
        households: r.households,
        persons: r.persons,
        monthly: r.monthlyFen,
        oneOff: r.oneOffFen,
        total: r.totalFen,
      });
    body.push({
      program: `${PROGRAM_LABELS[program]} 小计`,
      residence: '城乡合计',
      households: sum(mine, 'households'),
      persons: sum(mine, 'persons'),
      monthly: sum(mine, 'monthlyFen'),
      oneOff: sum(mine, 'oneOffFen'),
      total: sum(mine, 'totalFen'),
    });
  }
  const byResidence = (res: 'urban' | 'rural') => rows.filter((r) => r.residence === res);
  const summary = (['urban', 'rural'] as const).map((res) => ({
    program: `全部项目（${RESIDENCE_LABELS[res]}）`,
    residence: RESIDENCE_LABELS[res],
    households: sum(byResidence(res), 'households'),
    persons: sum(byResidence(res), 'persons'),
    monthly: sum(byResidence(res), 'monthlyFen'),
    oneOff: sum(byResidence(res), 'oneOffFen'),
    total: sum(byResidence(res), 'totalFen'),
  }));
  return {
    name: ['monthly-statistics', req.month, req.townId ?? 'county'].join('-'),
    title: `${req.month.slice(0, 4)}年${Number(req.month.slice(5, 7))}月社会救助统计月报表`,
    meta: [
      ['统计月份', req.month],
      ['数据截至', `${req.asOf}（月末口径，按截至该日已记录的事件生成，可复现）`],
      ['填报范围', req.townName ?? '全县'],
    ],
    sections: [
      {
        title: '分项目、分城乡',
        columns,
        rows: [...body, ...summary],
        totals: {
          program: '总计',
          residence: '',
          households: sum(rows, 'households'),
          persons: sum(rows, 'persons'),
          monthly: sum(rows, 'monthlyFen'),
          oneOff: sum(rows, 'oneOffFen'),
          total: sum(rows, 'totalFen'),
        },
      },
    ],
    notes: [
      '户数：当月有发放的救助对象户数，同一项目内一户只计一次；临时救助为当月获救助户数。',
      '人数：低保为审批时认定的共同生活家庭成员数；特困、孤儿、事实无人抚养儿童每案一人；临时救助为户内人数。',
      '城乡：按审批事实中的城乡类别；未记录的，按所在村（社区）类型，社区计城市。',
    ],
    signatures: ['单位负责人：', '统计负责人：', '填表人：', '报出日期：'],
  };
}
