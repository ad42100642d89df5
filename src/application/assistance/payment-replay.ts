import {
  decisionRefusal,
  emptyLedger,
  ledgerAfterDecision,
  ledgerAfterPayment,
  monthlyAmountFor,
  paymentRefusal,
  type PaymentLedger,
} from '../../domain/assistance/case-payments';
import type { CaseDecided, DecisionMigrated, PaymentRecorded } from '../../domain/assistance/case.events';
import { dataOf } from '../stored-events';

export interface PaymentMismatch {
  decisionId: string;
  caseId: string;
  eventId: string;
  reason: string;
}

export interface MigratedDecision {
  decisionId: string;
  caseId: string;
  eventId: string;
  program: string;
  decisionDate: string;
  monthlyFen: number;
  source: DecisionMigrated['source'];
}

type LoggedEvent = { eventId: string; type: string; data: Record<string, unknown> };

export interface PaymentCheckResult {
  mismatches: PaymentMismatch[];
  migrated: MigratedDecision[];
  paymentsChecked: number;
}

/**
 * The auditor's payment check: every case's decisions and payments, in log order, through the
 * same ledger the decider uses. A payment the ledger would refuse (paid twice, above the
 * decision, without a decision) and a second one-off grant are reported as mismatches; migrated
 * decisions (from the county's existing roll) are listed apart: they cannot be re-run.
 */
export function checkPayments(events: readonly LoggedEvent[], range: { from: string; to: string }): PaymentCheckResult {
  const check = new PaymentCheck(range);
  for (const e of events) check.feed(e);
  return check.result();
}

/**
 * The same check fed one event at a time. A case's ledger depends on that case's events only, so
 * a caller reading case streams one after the other calls `endCase` when a stream ends: memory
 * then holds one case's ledger, not the county's.
 */
export class PaymentCheck {
  private readonly ledgers = new Map<string, PaymentLedger>();
  private readonly mismatches: PaymentMismatch[] = [];
  private readonly migrated: MigratedDecision[] = [];
  private paymentsChecked = 0;

  constructor(private readonly range: { from: string; to: string }) {}

  private inRange(day: string): boolean {
    return day >= this.range.from && day <= this.range.to;
  }

  feed(e: LoggedEvent): void {
    const { ledgers, mismatches, migrated } = this;
    const caseId = String(e.data.caseId);
    const ledger = ledgers.get(caseId) ?? emptyLedger();
    if (e.type === 'CaseDecided') {
      const d = dataOf<CaseDecided>(e);
      const refusal = decisionRefusal(ledger, { decisionId: d.decisionId, payment: d.payment, paymentsEndOn: d.paymentsEndOn });
      if (refusal && this.inRange(d.decisionDate))
        mismatches.push({ decisionId: d.decisionId, caseId, eventId: e.eventId, reason: `payment excess: ${refusal.message}` });
      ledgers.set(caseId, ledgerAfterDecision(ledger, { decisionId: d.decisionId, payment: d.payment, paymentsEndOn: d.paymentsEndOn }));
    } else if (e.type === 'DecisionMigrated') {
      const d = dataOf<DecisionMigrated>(e);
      if (this.inRange(d.decisionDate))
        migrated.push({
          decisionId: d.decisionId,
          caseId,
          eventId: e.eventId,
          program: d.program,
          decisionDate: d.decisionDate,
          monthlyFen: d.payment.monthlyFen,
          source: d.source,
        });
      ledgers.set(caseId, ledgerAfterDecision(ledger, { decisionId: d.decisionId, payment: d.payment, paymentsEndOn: null }));
    } else if (e.type === 'PaymentRecorded') {
      const p = dataOf<PaymentRecorded>(e);
      const refusal = paymentRefusal(ledger, p);
      if (this.inRange(p.paidOn)) {
        this.paymentsChecked++;
        if (refusal) {
          const grant = p.kind === 'one_off' ? ledger.oneOff?.decisionId : p.month ? monthlyAmountFor(ledger, p.month)?.decisionId : undefined;
          mismatches.push({ decisionId: grant ?? '', caseId, eventId: e.eventId, reason: `payment excess: ${refusal.message}` });
        }
      }
      ledgers.set(caseId, ledgerAfterPayment(ledger, p));
    }
  }

  endCase(caseId: string): void {
    this.ledgers.delete(caseId);
  }

  result(): PaymentCheckResult {
    return { mismatches: this.mismatches, migrated: this.migrated, paymentsChecked: this.paymentsChecked };
  }
}
