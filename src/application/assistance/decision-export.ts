import type { CsvCell, CsvColumn } from '../csv-writer';

type Key =
  | 'decisionId'
  | 'caseId'
  | 'program'
  | 'kind'
  | 'decisionDate'
  | 'outcome'
  | 'monthlyFen'
  | 'oneOffFen'
  | 'policyId'
  | 'policyHash'
  | 'decidedBy'
  | 'role'
  | 'townId'
  | 'villageId'
  | 'eventId';

/** The columns of GET /decisions/export?format=csv: Chinese headers by default, the former English keys with ?lang=en. */
export const DECISION_EXPORT_COLUMNS: readonly CsvColumn<Key>[] = [
  { key: 'decisionId', zh: '决定编号', en: 'decisionId' },
  { key: 'caseId', zh: '案件编号', en: 'caseId' },
  { key: 'program', zh: '救助项目', en: 'program', vocabulary: 'program' },
  { key: 'kind', zh: '决定类型', en: 'kind' },
  { key: 'decisionDate', zh: '决定日期', en: 'decisionDate' },
  { key: 'outcome', zh: '决定结果', en: 'outcome', vocabulary: 'decision' },
  { key: 'monthlyFen', zh: '月保障金额（分）', en: 'monthlyFen' },
  { key: 'oneOffFen', zh: '一次性救助金额（分）', en: 'oneOffFen' },
  { key: 'policyId', zh: '政策版本', en: 'policyId' },
  { key: 'policyHash', zh: '政策内容哈希', en: 'policyHash' },
  { key: 'decidedBy', zh: '决定人', en: 'decidedBy' },
  { key: 'role', zh: '决定人角色', en: 'role', vocabulary: 'role' },
  { key: 'townId', zh: '乡镇编号', en: 'townId' },
  { key: 'villageId', zh: '村（社区）编号', en: 'villageId' },
  { key: 'eventId', zh: '事件编号', en: 'eventId' },
];

interface ExportedDecision {
  decisionId?: string;
  caseId?: string;
  program?: string;
  kind?: string;
  decisionDate?: string;
  outcome?: string;
  payment?: { monthlyFen?: number; fen?: number } | null;
  policy?: { id?: string; contentHash?: string };
  decidedBy?: { actorId?: string; role?: string };
  townId?: string;
  villageId?: string;
  eventId?: string;
}

export function decisionExportRow(d: ExportedDecision): Record<Key, CsvCell> {
  const pay = d.payment ?? {};
  return {
    decisionId: d.decisionId,
    caseId: d.caseId,
    program: d.program,
    kind: d.kind,
    decisionDate: d.decisionDate,
    outcome: d.outcome,
    monthlyFen: pay.monthlyFen,
    oneOffFen: pay.fen,
    policyId: d.policy?.id,
    policyHash: d.policy?.contentHash,
    decidedBy: d.decidedBy?.actorId,
    role: d.decidedBy?.role,
    townId: d.townId,
    villageId: d.villageId,
    eventId: d.eventId,
  };
}
