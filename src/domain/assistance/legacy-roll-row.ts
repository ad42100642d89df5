import { addMonths, parseIsoDate } from '../calendar/working-days.iso-date';
import { normalizeNationalId, parseNationalId } from '../shared/national-id';
import type { Program } from './case.events';

/**
 * One row of the county's existing roll (存量救助对象花名册), as the import reads it. Columns:
 *   group_code, recipient_name, recipient_id_number, program, decision_date, monthly_yuan,
 *   and optionally applied_on, persons, class, care_grade, income_stability, paid_from, paid_through.
 * Money in the roll is in yuan with at most two decimals ("610.00"); it becomes integer fen
 * without passing through floating point.
 */
export interface LegacyRow {
  groupCode: string;
  recipientName: string;
  recipientIdNumber: string;
  program: Exclude<Program, 'temporary'>;
  decisionDate: string;
  appliedOn: string;
  monthlyFen: number;
  persons: number | null;
  classification: Record<string, string> | null;
  incomeStability: 'stable' | 'unstable';
  /** First month paid (yyyy-mm): the month after the decision unless the roll says otherwise. */
  paidFrom: string;
  /** Last month already paid (yyyy-mm), or null when nothing was paid yet. */
  paidThrough: string | null;
}

const PROGRAMS: Record<string, LegacyRow['program']> = {
  dibao: 'dibao',
  低保: 'dibao',
  tekun: 'tekun',
  特困: 'tekun',
  orphan: 'orphan',
  孤儿: 'orphan',
  unsupported_child: 'unsupported_child',
  事实无人抚养儿童: 'unsupported_child',
};
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function validDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    parseIsoDate(text);
    return true;
  } catch {
    return false;
  }
}

/** "610", "610.5", "610.50" yuan → fen; anything else is null. */
export function yuanToFen(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** The row, or the reasons (in Chinese, for the bureau's staff) it cannot be applied. */
export function parseLegacyRow(raw: Record<string, string>, today: string): { row: LegacyRow } | { reasons: string[] } {
  const v = (k: string) => (raw[k] ?? '').trim();
  const reasons: string[] = [];
  const groupCode = v('group_code');
  if (!/^\d{15}$/.test(groupCode)) reasons.push(`村民小组代码“${groupCode}”不是15位数字`);
  const recipientName = v('recipient_name');
  if (!recipientName || recipientName.length > 50) reasons.push('缺少救助对象姓名');
  const id = normalizeNationalId(v('recipient_id_number'));
  if (!parseNationalId(id)) reasons.push('身份证号码无效（长度、出生日期或校验码不符）');
  const program = PROGRAMS[v('program')];
  if (!program) reasons.push(`救助项目“${v('program')}”不是低保、特困、孤儿或事实无人抚养儿童`);
  const decisionDate = v('decision_date');
  if (!validDate(decisionDate)) reasons.push(`审批日期“${decisionDate}”不是有效日期（yyyy-mm-dd）`);
  else if (decisionDate > today) reasons.push(`审批日期 ${decisionDate} 晚于今天 ${today}`);
  else if (decisionDate < '1990-01-01') reasons.push(`审批日期 ${decisionDate} 早于 1990-01-01`);
  const appliedOn = v('applied_on') || decisionDate;
  if (v('applied_on') && !validDate(appliedOn)) reasons.push(`申请日期“${appliedOn}”不是有效日期`);
  else if (validDate(decisionDate) && appliedOn > decisionDate) reasons.push(`申请日期 ${appliedOn} 晚于审批日期 ${decisionDate}`);
  const monthlyFen = yuanToFen(v('monthly_yuan'));
  if (monthlyFen === null || monthlyFen <= 0) reasons.push(`月保障金额“${v('monthly_yuan')}”不是正的金额（元，最多两位小数）`);
  const persons = v('persons') ? Number(v('persons')) : null;
  if (persons !== null && !(Number.isInteger(persons) && persons >= 1 && persons <= 30)) reasons.push(`保障人数“${v('persons')}”无效`);
  const stability = v('income_stability') || 'stable';
  if (stability !== 'stable' && stability !== 'unstable') reasons.push(`收入稳定性“${stability}”应为 stable 或 unstable`);
  const defaultFrom = validDate(decisionDate) ? addMonths(decisionDate, 1).slice(0, 7) : '';
  const paidFrom = v('paid_from') || defaultFrom;
  if (v('paid_from') && !MONTH.test(paidFrom)) reasons.push(`发放起始月“${paidFrom}”不是 yyyy-mm`);
  else if (validDate(decisionDate) && paidFrom < decisionDate.slice(0, 7)) reasons.push(`发放起始月 ${paidFrom} 早于审批月份`);
  const paidThrough = v('paid_through') || null;
  if (paidThrough !== null && !MONTH.test(paidThrough)) reasons.push(`已发放至“${paidThrough}”不是 yyyy-mm`);
  else if (paidThrough !== null && paidThrough > today.slice(0, 7)) reasons.push(`已发放至 ${paidThrough} 晚于本月`);
  else if (paidThrough !== null && paidFrom && paidThrough < paidFrom) reasons.push(`已发放至 ${paidThrough} 早于发放起始月 ${paidFrom}`);
  if (reasons.length) return { reasons };
  const classification: Record<string, string> = {};
  if (v('class')) classification.class = v('class');
  if (v('care_grade')) classification.careGrade = v('care_grade');
  return {
    row: {
      groupCode,
      recipientName,
      recipientIdNumber: id,
      program: program!,
      decisionDate,
      appliedOn,
      monthlyFen: monthlyFen!,
      persons,
      classification: Object.keys(classification).length ? classification : null,
      incomeStability: stability as 'stable' | 'unstable',
      paidFrom,
      paidThrough,
    },
  };
}

/** Months from `from` through `to` inclusive (yyyy-mm). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length < 1200; m = addMonths(`${m}-01`, 1).slice(0, 7)) out.push(m);
  return out;
}
