import { createHash } from 'node:crypto';
import { addMonths } from '../../../domain/calendar/working-days.iso-date';
import { caseStreamId } from '../../../domain/assistance/case.events';
import { monthsBetween, parseLegacyRow, type LegacyRow } from '../../../domain/assistance/legacy-roll-row';
import type { SpecialGroup } from '../../../domain/households/person';
import { DomainRuleViolation } from '../../../domain/shared/errors';
import { openCaseOf } from '../../../projections/assistance/assistance.queries';
import { activeGroupsByCode } from '../../../projections/geography/geography.queries';
import { householdsHolding } from '../../../projections/households/households.queries';
import { authorize, roles, writePermission } from '../../permissions/permissions';
import { countyDate } from '../../clock';
import { subCommand, type CommandContext, type CommandHandler } from '../../command-handler';
import { cases } from '../assistance.aggregates';
import { BadRequestError } from '../../errors';
import type { EventStore } from '../../event-store';
import type { HouseholdsService } from '../../households/households.service';
import { deterministicUuid } from '../../ids';
import type { PolicyRegistryService } from '../policy-registry.service';
import { readRoll, type RollFormat } from './legacy-roll-file';
import type { Db } from '../../db';

const importRoll = writePermission(roles('admin'));
/** Recipients imported side by side: each row is a few round trips to the database, mostly waiting. */
const IMPORT_LANES = 4;

export interface LegacyImportReport {
  importId: string;
  fileSha256: string;
  reason: string;
  rows: number;
  applied: number;
  unchanged: number;
  rejected: { row: number; reasons: string[] }[];
}

/** Which special group a recipient of each program belongs to (it drives visit and review obligations). */
const SPECIAL_GROUP: Record<LegacyRow['program'], SpecialGroup> = {
  dibao: 'dibao',
  tekun: 'tekun_scattered',
  orphan: 'orphan',
  unsupported_child: 'de_facto_unsupported_child',
};

/**
 * Going live: the county's existing roll (households, current recipients with their original
 * decision date, program, class and amount, and the months already paid) becomes history.
 * Each recipient's case is a *migrated* decision carrying the file's hash and row; its special-
 * group membership starts on the real decision date, so visits and dynamic reviews fall due from
 * then. Dated in the past only here, with the reason the bureau gives. Every row is applied or
 * rejected with its reasons; an import of the same rows again changes nothing (case ids derive
 * from the recipient and program; households are found by ID number).
 */
export class LegacyRollImportService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly store: EventStore,
    private readonly db: Db,
    private readonly households: HouseholdsService,
    private readonly registry: PolicyRegistryService,
  ) {}

  async import(context: CommandContext, input: { format: RollFormat; body: Buffer; reason: string }): Promise<LegacyImportReport> {
    await authorize(context.actor, importRoll, undefined, 'import the legacy roll');
    const reason = input.reason.trim();
    if (reason.length < 4) throw new BadRequestError('导入须说明理由（reason）', 'reason');
    const fileSha256 = createHash('sha256').update(input.body).digest('hex');
    const importId = deterministicUuid(`legacy-roll:${fileSha256}`);
    const rows = await readRoll(input.format, input.body);
    const today = countyDate(context.now);
    const groups = await this.groupsByCode(rows.map((r) => (r.values.group_code ?? '').trim()));
    const intervals = await this.reviewIntervals(today);
    const report: LegacyImportReport = { importId, fileSha256, reason, rows: rows.length, applied: 0, unchanged: 0, rejected: [] };
    const seen = new Map<string, number>();

    // Rows of one recipient run in order, in one lane (they share a household); lanes run side by side.
    const lanes = new Map<string, { row: number; r: LegacyRow; groupId: string }[]>();
    for (const { row, values } of rows) {
      const parsed = parseLegacyRow(values, today);
      if ('reasons' in parsed) {
        report.rejected.push({ row, reasons: parsed.reasons });
        continue;
      }
      const r = parsed.row;
      const key = `${r.recipientIdNumber}:${r.program}`;
      if (seen.has(key)) {
        report.rejected.push({ row, reasons: [`与第 ${seen.get(key)} 行是同一救助对象的同一项目`] });
        continue;
      }
      seen.set(key, row);
      const group = groups.get(r.groupCode);
      if (!group) {
        report.rejected.push({ row, reasons: [`村民小组代码 ${r.groupCode} 不存在或已撤销`] });
        continue;
      }
      const lane = lanes.get(r.recipientIdNumber) ?? [];
      lane.push({ row, r, groupId: group });
      lanes.set(r.recipientIdNumber, lane);
    }
    const queue = [...lanes.values()];
    const worker = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const { row, r, groupId } of lane) {
          try {
            const outcome = await this.applyRow(subCommand(context, `legacy-row:${row}`), r, { row, importId, fileSha256, reason, today, groupId, intervals });
            if (outcome === 'applied') report.applied++;
            else report.unchanged++;
          } catch (error) {
            if (!(error instanceof DomainRuleViolation) && !(error instanceof BadRequestError)) throw error;
            report.rejected.push({ row, reasons: [error.message] });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: IMPORT_LANES }, worker));
    report.rejected.sort((a, b) => a.row - b.row);
    return report;
  }

  private async applyRow(
    context: CommandContext,
    r: LegacyRow,
    at: {
      row: number;
      importId: string;
      fileSha256: string;
      reason: string;
      today: string;
      groupId: string;
      intervals: { unstable: number; stable: number; tekun: number } | null;
    },
  ): Promise<'applied' | 'unchanged'> {
    const caseId = deterministicUuid(`legacy-case:${r.recipientIdNumber}:${r.program}`);
    if ((await this.store.streamVersion(caseStreamId(caseId))) > 0) return 'unchanged';

    // The household: found by the recipient's ID number, or registered with the recipient as head.
    let householdId = (await householdsHolding(this.db, [r.recipientIdNumber]))[r.recipientIdNumber] ?? null;
    let household = householdId
      ? await this.households.get(context, householdId)
      : await this.households.register(subCommand(context, 'household'), {
          groupId: at.groupId,
          incomeStability: r.incomeStability,
          members: [
            {
              name: r.recipientName,
              idNumber: r.recipientIdNumber,
              relation: 'head',
              disability: null,
              seriousIllness: null,
              labourCapacity: r.program === 'dibao' ? 'partial' : 'none',
              schoolStatus: null,
            },
          ],
        });
    householdId = household.id;
    const person = household.members.find((m) => m.idNumber === r.recipientIdNumber);
    if (!person) throw new DomainRuleViolation('legacy.person_not_found', '找不到该救助对象所在家庭的成员记录');
    const open = await openCaseOf(this.db, householdId, r.program);
    if (open && open !== caseId) throw new DomainRuleViolation('case.open_case_exists', '该户已有同一救助项目的在办案件，不能再导入');

    // Enrolment from the real decision date: visit and review obligations run from then.
    const groupKind = SPECIAL_GROUP[r.program];
    const personId = r.program === 'dibao' ? null : person.personId;
    if (!household.specialGroups.some((g) => g.group === groupKind && g.personId === personId && g.to === null)) {
      household = await this.households.joinSpecialGroup(subCommand(context, 'membership'), householdId, { group: groupKind, personId, from: r.decisionDate });
    }

    const decisionId = deterministicUuid(`legacy-decision:${caseId}`);
    const months = r.paidThrough ? monthsBetween(r.paidFrom, r.paidThrough) : [];
    await this.commands.handle(
      cases,
      caseId,
      {
        type: 'Migrate',
        data: {
          application: {
            caseId,
            program: r.program,
            householdId,
            applicantPersonId: person.personId,
            groupId: household.groupId,
            villageId: household.villageId,
            townId: household.townId,
            channel: 'self',
            trigger: null,
            startedByWorkerId: null,
            relativeOf: null,
            appliedOn: r.appliedOn,
          },
          decision: {
            caseId,
            decisionId,
            program: r.program,
            decisionDate: r.decisionDate,
            payment: { kind: 'monthly', monthlyFen: r.monthlyFen, from: `${r.paidFrom}-01` },
            classification: r.classification,
            persons: r.persons,
            nextReviewDueOn: this.nextReview(r, at.intervals),
            source: { importId: at.importId, fileSha256: at.fileSha256, row: at.row, reason: at.reason },
          },
          // The roll does not say on which day a month was paid: its last day, or today for this month.
          payments: months.map((month) => {
            const last = addMonths(`${month}-01`, 1);
            const lastDay = new Date(Date.parse(`${last}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
            return {
              paymentId: deterministicUuid(`legacy-payment:${caseId}:${month}`),
              month,
              fen: r.monthlyFen,
              paidOn: lastDay > at.today ? at.today : lastDay,
            };
          }),
        },
      },
      context,
    );
    return 'applied';
  }

  /** Dynamic reviews run from the real decision date, at the intervals of the policy in force today. */
  private nextReview(r: LegacyRow, intervals: { unstable: number; stable: number; tekun: number } | null): string | null {
    if (!intervals) return null;
    if (r.program === 'tekun') return addMonths(r.decisionDate, intervals.tekun);
    if (r.program === 'dibao') return addMonths(r.decisionDate, r.incomeStability === 'unstable' ? intervals.unstable : intervals.stable);
    return null;
  }

  private async reviewIntervals(today: string) {
    try {
      const { policy } = await this.registry.rulesOn(today);
      return {
        unstable: policy.reviewIntervals.unstableAbleToWorkMonths,
        stable: policy.reviewIntervals.stableOrUnableToWorkMonths,
        tekun: policy.reviewIntervals.tekunMonths,
      };
    } catch (error) {
      if (error instanceof DomainRuleViolation) return null;
      throw error;
    }
  }

  private async groupsByCode(codes: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(codes.filter((c) => /^\d{15}$/.test(c)))];
    return activeGroupsByCode(this.db, unique);
  }
}
