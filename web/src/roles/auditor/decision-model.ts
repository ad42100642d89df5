/**
 * The decision body as GET /decisions and /decisions/{id} answer it (the decision event's payload,
 * typed `Any` in the OpenAPI document), narrowed to what the auditor's screens show.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

export interface DecisionRule {
  id: string;
  passed: boolean;
  reason: Bilingual;
  inputs?: Record<string, unknown>;
}

export interface Computation extends Bilingual {
  formula: string;
  values: Record<string, number | string>;
}

export interface Decision {
  decisionId: string;
  caseId: string;
  program: string;
  kind?: string;
  outcome: string;
  decisionDate: string;
  townId: string;
  villageId: string;
  decidedBy?: { actorId?: string; role?: string };
  policy?: { id?: string; contentHash?: string };
  facts?: Record<string, unknown>;
  eligibility?: {
    outcome?: string;
    rules?: DecisionRule[];
    amount?: ({ monthlyFen: number } | { oneOffFen: number }) & { computation: Computation };
    approval?: { level: string; reason: Bilingual };
    category?: { label: string; reason: Bilingual };
  };
  payment?: { monthlyFen?: number; fen?: number } | null;
  /** The list's lean rows (GET /decisions) carry the amount as columns instead of the eligibility body. */
  monthlyFen?: number | null;
  oneOffFen?: number | null;
}

/** Failed rules first (they decided a refusal), then the passed ones, each group in the policy's order. */
export function orderRules(rules: readonly DecisionRule[]): DecisionRule[] {
  return [...rules.filter((r) => !r.passed), ...rules.filter((r) => r.passed)];
}

/** 分 as 元 with two decimals: 123456 → "1,234.56". */
export function yuan(fen: number): string {
  return (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** The amount a decision granted, monthly or one-off, in 元; null when it granted none. */
export function amountOf(d: Decision): { kind: 'monthly' | 'oneOff'; fen: number } | null {
  const a = d.eligibility?.amount;
  if (a && 'monthlyFen' in a) return { kind: 'monthly', fen: a.monthlyFen };
  if (a && 'oneOffFen' in a) return { kind: 'oneOff', fen: a.oneOffFen };
  if (d.monthlyFen != null) return { kind: 'monthly', fen: d.monthlyFen };
  if (d.oneOffFen != null) return { kind: 'oneOff', fen: d.oneOffFen };
  if (d.payment?.monthlyFen != null) return { kind: 'monthly', fen: d.payment.monthlyFen };
  if (d.payment?.fen != null) return { kind: 'oneOff', fen: d.payment.fen };
  return null;
}

/** A fact's value as text: lists joined, objects as compact JSON, absent as —. */
export function factText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(factText).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}
