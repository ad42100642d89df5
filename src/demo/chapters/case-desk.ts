/**
 * The people who run the demo county's assistance cases, and each step of the procedure as on
 * main (issue 19): a town's social worker records the application and prepares the case, the
 * town government (乡镇人民政府) accepts it, two people investigate at home, the village posts
 * the notice, the town worker submits, the county worker linked to the town checks (审核把关),
 * and the authority the case-procedure policy names confirms (审核确认) and pays. Every step is
 * dated at its story day and sent through the desk's `steps` (case-steps.ts): the commands of
 * `ctx.services.cases` in process, or the REST API from the HTTP loader.
 */
import type { Actor } from '../../application/actor';
import { deterministicUuid } from '../../application/ids';
import { addDays } from '../../domain/calendar/working-days.iso-date';
import { defineWorkingDayCalendar, isWorkingDay, type WorkingDayCalendar } from '../../domain/calendar/working-days';
import type { Program } from '../../domain/assistance/case.events';
import type { DemoHousehold, DemoWorker } from '../context';
import { DEMO_ADMIN } from '../demo-actors';
import { DEMO_DATE } from '../demo-time';
import { CHINA_WORKING_DAYS_2023_2024 } from '../data/china-working-days-2023-2024';
import type { CaseAnswer, CaseContext, CaseSteps } from './case-steps';
import type { StepAt } from './story-steps';

/** The county's "today" when the demo's history ends: no step of a case is dated after it. */
export const DEMO_LAST_DAY = DEMO_DATE;
/** The bureau (县民政局) sets policy, funds towns and imports other departments' data: the demo's admin. */
export const BUREAU: Actor = DEMO_ADMIN;

export type Authority = 'town' | 'county';

export class CaseDesk {
  private readonly calendar: WorkingDayCalendar = defineWorkingDayCalendar(CHINA_WORKING_DAYS_2023_2024);

  private constructor(
    private readonly ctx: CaseContext,
    /** Where the steps go: the application services in process, or the REST API (the HTTP loader). */
    readonly steps: CaseSteps,
    private readonly countyWorkerOfTown: Map<string, string>,
  ) {}

  /** Reads which county worker links (挂联) which town: the world lists workers, not their links. */
  static async open(ctx: CaseContext, steps: CaseSteps): Promise<CaseDesk> {
    const links = new Map<string, string>();
    for (const w of ctx.world.workers.filter((x) => x.level === 'county')) {
      for (const l of await steps.workerLinks(w.id)) if (l.kind === 'county_town_link' && !links.has(l.targetId)) links.set(l.targetId, w.id);
    }
    return new CaseDesk(ctx, steps, links);
  }

  /** The first working day on or after `day` (people in the county work on working days, 调休 included). */
  workday(day: string): string {
    let d = day;
    while (!isWorkingDay(this.calendar, d)) d = addDays(d, 1);
    return d;
  }

  /** `n` working days after `day`, never after the demo's last day (null when it would be). */
  after(day: string, n: number): string | null {
    let d = day;
    for (let i = 0; i < n;) {
      d = addDays(d, 1);
      if (isWorkingDay(this.calendar, d)) i++;
    }
    return d > DEMO_LAST_DAY ? null : d;
  }

  // ── who acts ───────────────────────────────────────────────────────────────
  townWorker(townId: string): Actor {
    const w = this.ctx.world.workers.find((x) => x.level === 'town' && x.townId === townId);
    return w ? { id: w.id, role: 'town_worker' } : BUREAU;
  }

  countyWorker(townId: string): Actor {
    const id = this.countyWorkerOfTown.get(townId);
    return id ? { id, role: 'county_worker' } : BUREAU;
  }

  townOfficial(townId: string): Actor {
    const o = this.ctx.world.officials.find((x) => x.role === 'town_official' && x.townId === townId);
    return o ? { id: o.id, role: 'town_official' } : BUREAU;
  }

  bureauOfficer(): Actor {
    const o = this.ctx.world.officials.find((x) => x.role === 'civil_affairs_officer');
    return o ? { id: o.id, role: 'civil_affairs_officer' } : BUREAU;
  }

  authority(kind: Authority, townId: string): Actor {
    return kind === 'town' ? this.townOfficial(townId) : this.bureauOfficer();
  }

  /** Two people at the home visit: the town worker and a village worker of the household's village (or its town). */
  investigators(h: DemoHousehold): string[] {
    const workers = this.ctx.world.workers;
    const town = workers.find((x) => x.level === 'town' && x.townId === h.townId);
    const villageTownOf = (w: DemoWorker) => this.ctx.world.villages.find((v) => v.id === w.villageId)?.townId;
    const village =
      workers.find((x) => x.level === 'village' && x.villageId === h.villageId) ?? workers.find((x) => x.level === 'village' && villageTownOf(x) === h.townId);
    const ids = [town?.id, village?.id, ...workers.filter((x) => x.level === 'town').map((x) => x.id)].filter((x): x is string => !!x);
    return [...new Set(ids)].slice(0, 2);
  }

  // ── the steps ──────────────────────────────────────────────────────────────
  private at(day: string, label: string, actor: Actor): StepAt {
    return { day, label, actor };
  }

  async apply(
    key: string,
    day: string,
    h: DemoHousehold,
    program: Program,
    channel: 'self' | 'proactive' | 'emergency',
    applicantPersonId?: string,
  ): Promise<string> {
    const c = await this.steps.apply(this.at(day, `case:${key}:apply`, this.townWorker(h.townId)), {
      program,
      householdId: h.id,
      applicantPersonId: applicantPersonId ?? h.members[0]!.personId,
      channel,
      appliedOn: day,
    });
    return c.caseId;
  }

  accept(key: string, caseId: string, day: string, h: DemoHousehold): Promise<void> {
    return this.steps.accept(this.at(day, `case:${key}:accept`, this.townOfficial(h.townId)), caseId, day);
  }

  /** 家庭经济状况调查: the facts, a check against the bureau's data, and the home visit by two people. */
  async investigate(key: string, caseId: string, day: string, h: DemoHousehold, facts: unknown, findings = '入户调查，情况属实'): Promise<void> {
    const actor = this.townWorker(h.townId);
    await this.steps.recordFacts(this.at(day, `case:${key}:facts`, actor), caseId, facts);
    await this.steps.recordDataCheck(this.at(day, `case:${key}:data-check`, actor), caseId, {
      source: 'civil_affairs',
      checkedOn: day,
      result: '经济状况核对无异常',
      discrepancy: false,
    });
    return this.steps.recordHomeInvestigation(this.at(day, `case:${key}:home`, actor), caseId, {
      investigatorIds: this.investigators(h),
      on: day,
      findings,
    });
  }

  notice(key: string, caseId: string, day: string, h: DemoHousehold): Promise<void> {
    return this.steps.postNotice(this.at(day, `case:${key}:notice`, this.townWorker(h.townId)), caseId, day);
  }

  objection(key: string, caseId: string, day: string, h: DemoHousehold, summary: string): Promise<void> {
    return this.steps.recordObjection(this.at(day, `case:${key}:objection`, this.townWorker(h.townId)), caseId, {
      on: day,
      summary,
    });
  }

  submit(key: string, caseId: string, day: string, h: DemoHousehold): Promise<void> {
    return this.steps.submit(this.at(day, `case:${key}:submit`, this.townWorker(h.townId)), caseId);
  }

  check(key: string, caseId: string, day: string, h: DemoHousehold, returned?: string): Promise<void> {
    const input = returned ? { result: 'return' as const, reasons: returned } : { result: 'forward' as const };
    return this.steps.check(this.at(day, `case:${key}:check${returned ? ':return' : ''}`, this.countyWorker(h.townId)), caseId, input);
  }

  decide(key: string, caseId: string, day: string, h: DemoHousehold, by: Authority, writtenReasons?: string): Promise<CaseAnswer> {
    return this.steps.decide(this.at(day, `case:${key}:decide`, this.authority(by, h.townId)), caseId, writtenReasons ? { writtenReasons } : {});
  }

  notifyRefusal(key: string, caseId: string, day: string, h: DemoHousehold): Promise<void> {
    return this.steps.notifyRefusal(this.at(day, `case:${key}:refusal-notice`, this.townWorker(h.townId)), caseId, day);
  }

  grantEmergency(key: string, caseId: string, day: string, h: DemoHousehold, facts: unknown): Promise<void> {
    return this.steps.grantEmergency(this.at(day, `case:${key}:emergency-grant`, this.townOfficial(h.townId)), caseId, { facts });
  }

  completeEmergency(key: string, caseId: string, day: string, h: DemoHousehold): Promise<void> {
    return this.steps.completeEmergency(this.at(day, `case:${key}:emergency-completion`, this.townOfficial(h.townId)), caseId);
  }

  /** New facts for a dynamic review (动态复核), then the authority's review decision. */
  async review(key: string, caseId: string, day: string, h: DemoHousehold, facts: unknown): Promise<CaseAnswer> {
    await this.steps.recordFacts(this.at(day, `case:${key}:review-facts`, this.townWorker(h.townId)), caseId, facts);
    return this.steps.review(this.at(day, `case:${key}:review`, this.bureauOfficer()), caseId);
  }

  payOneOff(key: string, caseId: string, day: string, h: DemoHousehold, by: Authority): Promise<void> {
    return this.steps.recordPayment(this.at(day, `case:${key}:pay-one-off`, this.authority(by, h.townId)), caseId, { paidOn: day });
  }

  /** 按月发放: a month's amount in force, paid on the 10th (or the next working day). Returns the payment day, or null if not yet due. */
  async payMonth(key: string, caseId: string, month: string, _h: DemoHousehold): Promise<string | null> {
    const day = this.workday(`${month}-10`);
    if (day > DEMO_LAST_DAY) return null;
    await this.steps.recordPayment(this.at(day, `case:${key}:pay:${month}`, this.bureauOfficer()), caseId, { month, paidOn: day });
    return day;
  }
}

/** The id the service gives the case a story key applies for (it derives from the command id): for a restored run. */
export const caseIdFor = (ctx: Pick<CaseContext, 'at'>, key: string): string =>
  deterministicUuid(`case:${ctx.at(DEMO_LAST_DAY, `case:${key}:apply`).commandId}`);

/** Months from `from` to `to` inclusive (yyyy-mm). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) return out;
    out.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}
