import type { CaseDecided, Program } from '../assistance/case.events';
import { firstDayOf } from '../calendar/calendar-months';

/**
 * What has been decided for payment, folded from case and household events recorded up to a
 * cut-off. The monthly reports (payment roll, statistics) read nothing else, so the same events
 * up to the same cut-off give the same report: a past month reproduces exactly, whatever was
 * recorded after it. Pure: the caller reads the events and applies the cut-off.
 */
export interface LedgerPerson {
  personId: string;
  name: string;
  idNumber: string;
}

export interface LedgerHousehold {
  householdId: string;
  groupId: string;
  members: Map<string, LedgerPerson>;
}

/** A period [from, to) in which a monthly amount is paid; `to` null = until further notice. */
export interface PaymentSegment {
  from: string;
  to: string | null;
  monthlyFen: number;
  decision: CaseDecided;
}

export interface LedgerCase {
  caseId: string;
  program: Program;
  householdId: string;
  applicantPersonId: string;
  townId: string;
  villageId: string;
  groupId: string;
  segments: PaymentSegment[];
  oneOffs: { on: string; fen: number; decision: CaseDecided }[];
}

export interface Ledger {
  cases: Map<string, LedgerCase>;
  households: Map<string, LedgerHousehold>;
}

/** The event types the ledger folds (the caller reads only these). */
export const LEDGER_EVENT_TYPES = [
  'CaseApplied',
  'CaseDecided',
  'HouseholdRegistered',
  'MemberAdded',
  'MemberUpdated',
  'MemberRemoved',
  'HouseholdMoved',
] as const;

type Member = { personId: string; name: string; idNumber: string };
export type LedgerEvent = { type: string; data: Record<string, unknown> };

export function foldLedger(events: Iterable<LedgerEvent>): Ledger {
  const ledger: Ledger = { cases: new Map(), households: new Map() };
  for (const e of events) applyToLedger(ledger, e);
  return ledger;
}

export function applyToLedger(ledger: Ledger, e: LedgerEvent): void {
  const d = e.data as any;
  const person = (m: Member): LedgerPerson => ({ personId: m.personId, name: m.name, idNumber: m.idNumber });
  switch (e.type) {
    case 'HouseholdRegistered':
      ledger.households.set(d.householdId, {
        householdId: d.householdId,
        groupId: d.groupId,
        members: new Map((d.members as Member[]).map((m) => [m.personId, person(m)])),
      });
      return;
    case 'MemberAdded':
    case 'MemberUpdated':
      ledger.households.get(d.householdId)?.members.set(d.member.personId, person(d.member));
      return;
    case 'MemberRemoved':
      ledger.households.get(d.householdId)?.members.delete(d.personId);
      return;
    case 'HouseholdMoved': {
      const h = ledger.households.get(d.householdId);
      if (h) h.groupId = d.toGroupId;
      return;
    }
    case 'CaseApplied':
      ledger.cases.set(d.caseId, {
        caseId: d.caseId,
        program: d.program,
        householdId: d.householdId,
        applicantPersonId: d.applicantPersonId,
        townId: d.townId,
        villageId: d.villageId,
        groupId: d.groupId,
        segments: [],
        oneOffs: [],
      });
      return;
    case 'CaseDecided': {
      const c = ledger.cases.get(d.caseId);
      if (!c) return;
      const decision = d as CaseDecided;
      const open = c.segments.find((s) => s.to === null);
      // A new monthly amount replaces the one in force from its first month; a stop ends it.
      if (decision.payment?.kind === 'monthly') {
        if (open) open.to = decision.payment.from;
        c.segments.push({ from: decision.payment.from, to: null, monthlyFen: decision.payment.monthlyFen, decision });
      } else if (decision.payment?.kind === 'one_off') {
        c.oneOffs.push({ on: decision.payment.on, fen: decision.payment.fen, decision });
      }
      if (decision.paymentsEndOn) {
        for (const s of c.segments)
          if (s.to === null || s.to > decision.paymentsEndOn) s.to = s.from < decision.paymentsEndOn ? decision.paymentsEndOn : s.from;
      }
      c.segments = c.segments.filter((s) => s.to === null || s.to > s.from);
      return;
    }
  }
}

/** What a case pays in a month: the monthly amount in force on its first day, and one-off grants paid in it. */
export interface MonthPayment {
  monthlyFen: number;
  oneOffFen: number;
  /** The decision whose amount is paid (the monthly one if any, else the last one-off). */
  decision: CaseDecided;
  /** True when the monthly amount starts this month (a new beneficiary or a new amount). */
  startsThisMonth: boolean;
}

export function paymentInMonth(c: LedgerCase, month: string): MonthPayment | null {
  const first = firstDayOf(month);
  const seg = c.segments.find((s) => s.from <= first && (s.to === null || s.to > first));
  const oneOffs = c.oneOffs.filter((o) => o.on.slice(0, 7) === month);
  if (!seg && oneOffs.length === 0) return null;
  const oneOffFen = oneOffs.reduce((s, o) => s + o.fen, 0);
  return { monthlyFen: seg?.monthlyFen ?? 0, oneOffFen, decision: seg?.decision ?? oneOffs.at(-1)!.decision, startsThisMonth: seg?.from === first };
}

/** People a payment covers: the 低保 household's members as decided; one person for 特困 and children; the household for 临时救助. */
export function personsCovered(c: LedgerCase, decision: CaseDecided, household: LedgerHousehold | undefined): number {
  const members = (decision.facts as { members?: unknown[] }).members;
  if (c.program === 'dibao' && Array.isArray(members)) return members.length;
  if (c.program === 'temporary') return Math.max(1, household?.members.size ?? 1);
  return 1;
}

/** 城市/农村: the residence the decision's facts name, else the kind of village (社区 = urban). */
export function residenceOf(decision: CaseDecided, villageKind: string | undefined): 'urban' | 'rural' {
  const residence = (decision.facts as { residence?: unknown }).residence;
  if (residence === 'urban' || residence === 'rural') return residence;
  return villageKind === 'community' ? 'urban' : 'rural';
}
