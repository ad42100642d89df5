import type { Program } from '../../domain/assistance/case.events';
import { monthlyStatistics, monthlyStatisticsRows } from '../../domain/reports/monthly-statistics';
import { applyToLedger, LEDGER_EVENT_TYPES, type Ledger, type LedgerEvent } from '../../domain/reports/payment-ledger';
import { paymentRoll, paymentRollLines } from '../../domain/reports/payment-roll';
import type { ReportDocument } from '../../domain/reports/report-document';
import { visitCompletion } from '../../domain/reports/visit-completion';
import { firstDayOf, lastDayOf } from '../../domain/calendar/calendar-months';
import { computeSchedule } from '../../domain/visits/due';
import { schedulePolicyOn } from '../../domain/visits/schedule-policy';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { placeNames } from '../../projections/geography/places.queries';
import { visitKeysRecordedBefore } from '../../projections/visits/visit-facts.queries';
import { schedulePolicies, scheduleFacts } from '../../projections/visits/visits.queries';
import { workerNames } from '../../projections/workforce/workforce-facts.queries';
import { authorize } from '../permissions/permissions';
import type { Actor } from '../actor';
import { countyDate } from '../clock';
import type { EventStore } from '../event-store';
import { endOfCountyDay, eventsBefore } from './report-events';
import { reportsPermissions } from '../permissions/reports.permissions';
import type { Db } from '../db';

type Reader = { actor: Actor; now: Date };
export type ReportFormat = 'csv' | 'xlsx' | 'html' | 'json';

/**
 * What the bureau sends each month: the payment roll (发放花名册) per town and program, the
 * monthly statistics report for the city, and the month-end visit-completion report, each built
 * from events (or dated facts) as of a day so a past month reproduces exactly.
 */
export class ReportsService {
  constructor(
    private readonly store: EventStore,
    private readonly db: Db,
  ) {}

  async paymentRoll(reader: Reader, q: { month: string; asOf?: string; townId?: string; program?: Program }): Promise<ReportDocument> {
    await authorize(reader.actor, reportsPermissions.read, q, 'read the payment roll');
    const asOf = this.asOfFor(reader, q.month, q.asOf);
    const ledger = await this.ledger(asOf);
    return paymentRoll(
      ledger,
      { month: q.month, asOf, ...(q.townId ? { townId: q.townId } : {}), ...(q.program ? { program: q.program } : {}) },
      await this.places(),
    );
  }

  async monthlyStatistics(reader: Reader, q: { month: string; asOf?: string; townId?: string }): Promise<ReportDocument> {
    await authorize(reader.actor, reportsPermissions.read, q, 'read the monthly statistics');
    const asOf = this.asOfFor(reader, q.month, q.asOf);
    const ledger = await this.ledger(asOf);
    const places = await this.places();
    return monthlyStatistics(
      ledger,
      { month: q.month, asOf, ...(q.townId ? { townId: q.townId, townName: places.townNames.get(q.townId) ?? q.townId } : {}) },
      places.villageKinds,
    );
  }

  /** The figures without a document, for a check against another source (the tests do). */
  async monthlyFigures(reader: Reader, q: { month: string; asOf?: string }) {
    await authorize(reader.actor, reportsPermissions.read, q, 'read the monthly statistics');
    const asOf = this.asOfFor(reader, q.month, q.asOf);
    const ledger = await this.ledger(asOf);
    return {
      month: q.month,
      asOf,
      statistics: monthlyStatisticsRows(ledger, q.month, (await this.places()).villageKinds),
      roll: paymentRollLines(ledger, { month: q.month, asOf }),
    };
  }

  async visitCompletion(reader: Reader, q: { asOf?: string; townId?: string }): Promise<ReportDocument> {
    await authorize(reader.actor, reportsPermissions.read, q, 'read the visit-completion report');
    const today = countyDate(reader.now);
    const asOf = q.asOf ?? today;
    if (asOf > today) throw new DomainRuleViolation('report.as_of_in_future', `报表截至日期${asOf}晚于今天${today}`, { asOf, today });
    const month = asOf.slice(0, 7);
    const policy = schedulePolicyOn(await schedulePolicies(this.db), asOf);
    const facts = await scheduleFacts(this.db, q.townId ? { townId: q.townId } : {}, asOf, firstDayOf(month));
    // Only visits recorded by the end of the day asked: a back-dated visit recorded later does not change a past report.
    const recorded = await visitKeysRecordedBefore(this.db, firstDayOf(month), asOf, endOfCountyDay(asOf));
    const visits = facts.visits.filter((v) => v.date < firstDayOf(month) || recorded.has(`${v.groupId}:${v.householdId ?? ''}:${v.date}:${v.kind}`));
    // Groups and households registered after the day asked did not exist yet on it.
    const items = computeSchedule(
      asOf,
      { ...policy, overdueLookbackMonths: 1 },
      facts.groups.filter((g) => g.registeredOn <= asOf),
      facts.households.filter((h) => h.registeredOn <= asOf),
      visits,
    );
    return visitCompletion(items, { asOf, ...(q.townId ? { townId: q.townId } : {}) }, await this.places());
  }

  /** A report of a month is as of its last day unless an earlier day is asked; never a day still to come. */
  private asOfFor(reader: Reader, month: string, asked?: string): string {
    const today = countyDate(reader.now);
    if (month > today.slice(0, 7)) throw new DomainRuleViolation('report.month_in_future', `报表月份${month}尚未开始`, { month, today });
    const asOf = asked ?? (lastDayOf(month) < today ? lastDayOf(month) : today);
    if (asOf > today) throw new DomainRuleViolation('report.as_of_in_future', `报表截至日期${asOf}晚于今天${today}`, { asOf, today });
    if (asOf < firstDayOf(month)) throw new DomainRuleViolation('report.as_of_before_month', `报表截至日期${asOf}早于报表月份${month}`, { asOf, month });
    return asOf;
  }

  private async ledger(asOf: string): Promise<Ledger> {
    const ledger: Ledger = { cases: new Map(), households: new Map() };
    for await (const e of eventsBefore<LedgerEvent>(this.store, LEDGER_EVENT_TYPES, endOfCountyDay(asOf))) applyToLedger(ledger, e);
    return ledger;
  }

  private async places() {
    const [places, workerNamesById] = await Promise.all([placeNames(this.db), workerNames(this.db)]);
    return { ...places, workerNames: workerNamesById };
  }
}
