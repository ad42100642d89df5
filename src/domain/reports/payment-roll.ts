import type { Program } from '../assistance/case.events';
import { maskNationalId } from '../shared/national-id';
import { PROGRAM_LABELS, PROGRAM_ORDER } from './labels';
import { paymentInMonth, personsCovered, type Ledger } from './payment-ledger';
import type { ReportDocument, ReportSection } from './report-document';

/**
 * 发放花名册: one section per town and program for a month, one row per case paid in it. The
 * bank account column is left empty for the bureau to fill (account numbers are not held here).
 * ID numbers are masked; names are printed in full because the bank pays by name.
 */
export interface RollPlace {
  townNames: Map<string, string>;
  villageNames: Map<string, string>;
  groupNames: Map<string, string>;
}

export interface RollRequest {
  month: string;
  asOf: string;
  townId?: string;
  program?: Program;
}

export interface RollLine {
  caseId: string;
  townId: string;
  program: Program;
  villageId: string;
  groupId: string;
  name: string;
  maskedId: string;
  persons: number;
  category: string;
  monthlyFen: number;
  oneOffFen: number;
  totalFen: number;
  note: string;
}

export function paymentRollLines(ledger: Ledger, req: RollRequest): RollLine[] {
  const lines: RollLine[] = [];
  for (const c of ledger.cases.values()) {
    if (req.townId && c.townId !== req.townId) continue;
    if (req.program && c.program !== req.program) continue;
    const pay = paymentInMonth(c, req.month);
    if (!pay) continue;
    const household = ledger.households.get(c.householdId);
    const person = household?.members.get(c.applicantPersonId);
    lines.push({
      caseId: c.caseId,
      townId: c.townId,
      program: c.program,
      villageId: c.villageId,
      groupId: household?.groupId ?? c.groupId,
      name: person?.name ?? '（已移出户籍）',
      maskedId: person ? maskNationalId(person.idNumber) : '',
      persons: personsCovered(c, pay.decision, household),
      category: pay.decision.category?.label ?? '',
      monthlyFen: pay.monthlyFen,
      oneOffFen: pay.oneOffFen,
      totalFen: pay.monthlyFen + pay.oneOffFen,
      note: [
        pay.startsThisMonth ? (c.segments.length > 1 && c.segments[0]!.from !== `${req.month}-01` ? '调整' : '新增') : '',
        pay.oneOffFen > 0 ? '一次性救助' : '',
      ]
        .filter(Boolean)
        .join('、'),
    });
  }
  return lines;
}

export function paymentRoll(ledger: Ledger, req: RollRequest, place: RollPlace): ReportDocument {
  const lines = paymentRollLines(ledger, req);
  const townIds = [...new Set(lines.map((l) => l.townId))].sort((a, b) => cmp(place.townNames.get(a) ?? a, place.townNames.get(b) ?? b));
  const sections: ReportSection[] = [];
  for (const townId of townIds) {
    for (const program of PROGRAM_ORDER) {
      const mine = lines
        .filter((l) => l.townId === townId && l.program === program)
        .sort(
          (a, b) =>
            cmp(place.villageNames.get(a.villageId) ?? '', place.villageNames.get(b.villageId) ?? '') ||
            cmp(place.groupNames.get(a.groupId) ?? '', place.groupNames.get(b.groupId) ?? '') ||
            cmp(a.maskedId, b.maskedId) ||
            cmp(a.caseId, b.caseId),
        );
      if (mine.length === 0) continue;
      sections.push({
        title: `${place.townNames.get(townId) ?? townId} · ${PROGRAM_LABELS[program]}`,
        columns: [
          { key: 'seq', header: '序号', type: 'int', width: 5 },
          { key: 'village', header: '村（社区）', type: 'text', width: 12 },
          { key: 'group', header: '村民小组', type: 'text', width: 10 },
          { key: 'name', header: '姓名', type: 'text', width: 9 },
          { key: 'idNumber', header: '身份证号（脱敏）', type: 'text', width: 20 },
          { key: 'bankAccount', header: '银行账号（民政局填写）', type: 'text', width: 22 },
          { key: 'persons', header: '保障人数', type: 'int', width: 7 },
          { key: 'category', header: '类别/档次', type: 'text', width: 9 },
          { key: 'monthly', header: '月保障金（元）', type: 'fen', width: 11 },
          { key: 'oneOff', header: '一次性救助（元）', type: 'fen', width: 11 },
          { key: 'total', header: '本月发放合计（元）', type: 'fen', width: 12 },
          { key: 'note', header: '备注', type: 'text', width: 10 },
        ],
        rows: mine.map((l, i) => ({
          seq: i + 1,
          village: place.villageNames.get(l.villageId) ?? '',
          group: place.groupNames.get(l.groupId) ?? '',
          name: l.name,
          idNumber: l.maskedId,
          bankAccount: '',
          persons: l.persons,
          category: l.category,
          monthly: l.monthlyFen,
          oneOff: l.oneOffFen,
          total: l.totalFen,
          note: l.note,
        })),
        totals: {
          seq: null,
          village: `合计 ${mine.length} 户`,
          persons: mine.reduce((s, l) => s + l.persons, 0),
          monthly: mine.reduce((s, l) => s + l.monthlyFen, 0),
          oneOff: mine.reduce((s, l) => s + l.oneOffFen, 0),
          total: mine.reduce((s, l) => s + l.totalFen, 0),
        },
      });
    }
  }
  const all = lines.reduce((s, l) => s + l.totalFen, 0);
  return {
    name: ['payment-roll', req.month, req.townId ?? 'all-towns', req.program ?? 'all-programs'].join('-'),
    title: `${req.month.slice(0, 4)}年${Number(req.month.slice(5, 7))}月社会救助资金发放花名册`,
    meta: [
      ['发放月份', req.month],
      ['数据截至', `${req.asOf}（按截至该日已记录的审批决定生成，可复现）`],
      ['乡镇', req.townId ? (place.townNames.get(req.townId) ?? req.townId) : '全县'],
      ['救助项目', req.program ? PROGRAM_LABELS[req.program] : '全部'],
      ['总户数', String(lines.length)],
      ['总金额（元）', `${Math.floor(all / 100)}.${String(all % 100).padStart(2, '0')}`],
    ],
    sections,
    notes: [
      '银行账号一栏由县民政局填写后交代发银行；本系统不保存银行账号。',
      '身份证号已脱敏，仅保留行政区划代码与末两位。',
      '月保障金按发放月第一日有效的审批决定计算；一次性救助按发放日期计入当月。',
    ],
    signatures: ['制表人：', '审核人：', '县民政局（盖章）：', '日期：'],
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
