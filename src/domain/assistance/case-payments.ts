import type { RuleId } from '../shared/rule-messages';
import { DomainRuleViolation } from '../shared/errors';

/**
 * What has been paid on a case and what may still be paid: the one place that knows.
 * - a one-off grant is paid once, never above the granted amount, and a case gets one one-off grant;
 * - a monthly amount is paid once per month, only for months a decision put in force (from the
 *   month its payment starts until a stop or a new amount), never above the amount in force;
 * so the total paid is never above what was decided. The decider, the read model's fold and the
 * auditor's replay all run these same functions.
 */
export interface MonthlyGrant {
  decisionId: string;
  monthlyFen: number;
  /** First month paid (yyyy-mm). */
  fromMonth: string;
}
export interface OneOffGrant {
  decisionId: string;
  fen: number;
  on: string;
}
export interface PaymentLedger {
  monthly: MonthlyGrant[];
  /** Monthly payments end before this month (a stop), or null. */
  stoppedFromMonth: string | null;
  oneOff: OneOffGrant | null;
  /** yyyy-mm → fen paid for that month. */
  paidMonths: Record<string, number>;
  oneOffPaidFen: number;
  lastPaidOn: string | null;
}

export const emptyLedger = (): PaymentLedger => ({ monthly: [], stoppedFromMonth: null, oneOff: null, paidMonths: {}, oneOffPaidFen: 0, lastPaidOn: null });

/** The payment part of a decision (CaseDecided or a migrated decision). */
export interface DecidedPayment {
  decisionId: string;
  payment: { kind: 'monthly'; monthlyFen: number; from: string } | { kind: 'one_off'; fen: number; on: string } | null;
  paymentsEndOn: string | null;
}

export interface RecordedPayment {
  kind: 'monthly' | 'one_off';
  /** yyyy-mm for a monthly payment. */
  month: string | null;
  fen: number;
  paidOn: string;
}

const monthOf = (day: string) => day.slice(0, 7);

export function ledgerAfterDecision(ledger: PaymentLedger, d: DecidedPayment): PaymentLedger {
  let next = ledger;
  if (d.payment?.kind === 'monthly') {
    const fromMonth = monthOf(d.payment.from);
    // A new amount replaces the one in force from its first month; it also lifts an earlier stop.
    next = {
      ...next,
      monthly: [...next.monthly.filter((g) => g.fromMonth < fromMonth), { decisionId: d.decisionId, monthlyFen: d.payment.monthlyFen, fromMonth }],
      stoppedFromMonth: null,
    };
  }
  if (d.payment?.kind === 'one_off') next = { ...next, oneOff: { decisionId: d.decisionId, fen: d.payment.fen, on: d.payment.on } };
  if (d.paymentsEndOn) next = { ...next, stoppedFromMonth: monthOf(d.paymentsEndOn) };
  return next;
}

export function ledgerAfterPayment(ledger: PaymentLedger, p: RecordedPayment): PaymentLedger {
  const lastPaidOn = !ledger.lastPaidOn || p.paidOn > ledger.lastPaidOn ? p.paidOn : ledger.lastPaidOn;
  if (p.kind === 'one_off') return { ...ledger, oneOffPaidFen: ledger.oneOffPaidFen + p.fen, lastPaidOn };
  return { ...ledger, paidMonths: { ...ledger.paidMonths, [p.month!]: (ledger.paidMonths[p.month!] ?? 0) + p.fen }, lastPaidOn };
}

/** The monthly amount in force for a month, or null when no decision put one in force. */
export function monthlyAmountFor(ledger: PaymentLedger, month: string): MonthlyGrant | null {
  if (ledger.stoppedFromMonth && month >= ledger.stoppedFromMonth) return null;
  let inForce: MonthlyGrant | null = null;
  for (const g of ledger.monthly) if (g.fromMonth <= month && (!inForce || g.fromMonth >= inForce.fromMonth)) inForce = g;
  return inForce;
}

/** What may still be paid: for a month (monthly) or the rest of the one-off grant. */
export function payableFen(ledger: PaymentLedger, p: Pick<RecordedPayment, 'kind' | 'month'>): number {
  if (p.kind === 'one_off') return ledger.oneOff ? Math.max(0, ledger.oneOff.fen - ledger.oneOffPaidFen) : 0;
  const grant = monthlyAmountFor(ledger, p.month!);
  return grant ? Math.max(0, grant.monthlyFen - (ledger.paidMonths[p.month!] ?? 0)) : 0;
}

/** Why this payment may not be made, or null when it may. Used by the decider and the replay alike. */
export function paymentRefusal(ledger: PaymentLedger, p: RecordedPayment): { rule: RuleId; message: string; details: Record<string, unknown> } | null {
  if (p.kind === 'one_off') {
    if (!ledger.oneOff) return { rule: 'payment.not_decided', message: '本案没有一次性救助决定，不能发放', details: {} };
    if (ledger.oneOffPaidFen >= ledger.oneOff.fen)
      return {
        rule: 'payment.already_paid',
        message: `一次性救助（${ledger.oneOff.fen} 分）已发放，不能重复发放`,
        details: { decidedFen: ledger.oneOff.fen, paidFen: ledger.oneOffPaidFen },
      };
    if (p.fen > ledger.oneOff.fen - ledger.oneOffPaidFen)
      return {
        rule: 'payment.above_decided',
        message: `发放金额 ${p.fen} 分超过决定余额 ${ledger.oneOff.fen - ledger.oneOffPaidFen} 分`,
        details: { decidedFen: ledger.oneOff.fen, paidFen: ledger.oneOffPaidFen },
      };
    return null;
  }
  const month = p.month!;
  const grant = monthlyAmountFor(ledger, month);
  if (!grant) return { rule: 'payment.not_decided', message: `${month} 没有生效的按月救助决定，不能发放`, details: { month } };
  const paid = ledger.paidMonths[month] ?? 0;
  if (paid >= grant.monthlyFen) return { rule: 'payment.already_paid', message: `${month} 的救助金已发放，每月只发放一次`, details: { month, paidFen: paid } };
  if (p.fen > grant.monthlyFen - paid)
    return {
      rule: 'payment.above_decided',
      message: `发放金额 ${p.fen} 分超过 ${month} 决定的余额 ${grant.monthlyFen - paid} 分`,
      details: { month, decidedFen: grant.monthlyFen, paidFen: paid },
    };
  return null;
}

export function requirePayable(ledger: PaymentLedger, p: RecordedPayment): void {
  const refusal = paymentRefusal(ledger, p);
  if (refusal) throw new DomainRuleViolation(refusal.rule, refusal.message, refusal.details);
}

/** A case gets at most one one-off grant: a second would pay the same need twice. */
export function decisionRefusal(ledger: PaymentLedger, d: DecidedPayment): { rule: RuleId; message: string; details: Record<string, unknown> } | null {
  if (d.payment?.kind === 'one_off' && ledger.oneOff) {
    return {
      rule: 'payment.one_off_already_granted',
      message: `本案已有一次性救助决定（${ledger.oneOff.fen} 分），不能再次给付`,
      details: { decisionId: ledger.oneOff.decisionId },
    };
  }
  return null;
}

/** Totals for a read model or a report: paid so far, and decided up to a month inclusive. */
export function ledgerTotals(ledger: PaymentLedger): { paidFen: number; oneOffDecidedFen: number; monthsPaid: number } {
  const monthly = Object.values(ledger.paidMonths).reduce((a, b) => a + b, 0);
  return { paidFen: monthly + ledger.oneOffPaidFen, oneOffDecidedFen: ledger.oneOff?.fen ?? 0, monthsPaid: Object.keys(ledger.paidMonths).length };
}
