import { describe, expect, it } from 'vitest';
import {
  decisionRefusal,
  emptyLedger,
  ledgerAfterDecision,
  ledgerAfterPayment,
  ledgerTotals,
  payableFen,
  paymentRefusal,
  type PaymentLedger,
} from '../../src/domain/assistance/case-payments';

const monthly = (decisionId: string, monthlyFen: number, from: string) => ({
  decisionId,
  payment: { kind: 'monthly' as const, monthlyFen, from },
  paymentsEndOn: null,
});
const pay = (ledger: PaymentLedger, month: string, fen: number) => ledgerAfterPayment(ledger, { kind: 'monthly', month, fen, paidOn: `${month}-05` });

describe('the payment ledger: what has been paid and what may still be paid', () => {
  describe('given a one-off grant of ¥2,000', () => {
    const granted = ledgerAfterDecision(emptyLedger(), { decisionId: 'd1', payment: { kind: 'one_off', fen: 200_000, on: '2023-06-08' }, paymentsEndOn: null });
    it('pays it once', () => {
      expect(paymentRefusal(granted, { kind: 'one_off', month: null, fen: 200_000, paidOn: '2023-06-08' })).toBeNull();
      const paid = ledgerAfterPayment(granted, { kind: 'one_off', month: null, fen: 200_000, paidOn: '2023-06-08' });
      expect(paymentRefusal(paid, { kind: 'one_off', month: null, fen: 200_000, paidOn: '2023-06-09' })?.rule).toBe('payment.already_paid');
      expect(ledgerTotals(paid)).toMatchObject({ paidFen: 200_000, oneOffDecidedFen: 200_000 });
    });
    it('may be paid in parts, never above the grant', () => {
      const part = ledgerAfterPayment(granted, { kind: 'one_off', month: null, fen: 150_000, paidOn: '2023-06-08' });
      expect(payableFen(part, { kind: 'one_off', month: null })).toBe(50_000);
      expect(paymentRefusal(part, { kind: 'one_off', month: null, fen: 60_000, paidOn: '2023-06-09' })?.rule).toBe('payment.above_decided');
    });
    it('refuses a second one-off grant on the same case', () => {
      expect(decisionRefusal(granted, { decisionId: 'd2', payment: { kind: 'one_off', fen: 200_000, on: '2023-06-20' }, paymentsEndOn: null })?.rule).toBe(
        'payment.one_off_already_granted',
      );
    });
  });

  describe('given ¥910 a month from July, adjusted to ¥700 from October, stopped from January', () => {
    let ledger = ledgerAfterDecision(emptyLedger(), monthly('d1', 91_000, '2023-07-01'));
    ledger = ledgerAfterDecision(ledger, monthly('d2', 70_000, '2023-10-01'));
    ledger = ledgerAfterDecision(ledger, { decisionId: 'd3', payment: null, paymentsEndOn: '2024-01-01' });
    it.each([
      ['2023-06', 91_000, 'payment.not_decided'],
      ['2023-07', 91_000, null],
      ['2023-09', 91_001, 'payment.above_decided'],
      ['2023-10', 70_000, null],
      ['2023-10', 91_000, 'payment.above_decided'],
      ['2023-12', 70_000, null],
      ['2024-01', 70_000, 'payment.not_decided'],
    ] as const)('month %s, %i fen → %s', (month, fen, expected) => {
      expect(paymentRefusal(ledger, { kind: 'monthly', month, fen, paidOn: `${month}-05` })?.rule ?? null).toBe(expected);
    });
    it('pays each month once, and the total is never above what was decided', () => {
      const paid = pay(pay(ledger, '2023-07', 91_000), '2023-10', 70_000);
      expect(paymentRefusal(paid, { kind: 'monthly', month: '2023-07', fen: 1, paidOn: '2023-08-01' })?.rule).toBe('payment.already_paid');
      expect(ledgerTotals(paid)).toMatchObject({ paidFen: 161_000, monthsPaid: 2 });
    });
  });
});
