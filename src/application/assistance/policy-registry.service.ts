import { defineWorkingDayCalendar, type WorkingDayCalendar } from '../../domain/calendar/working-days';
import { policyContentHash, policyCanonicalJson } from '../../domain/assistance/policy/policy-hash';
import { policyVersionInForce } from '../../domain/assistance/policy/policy-selection';
import { definePolicyVersion, type PolicyVersion } from '../../domain/assistance/policy/policy-version';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { calendars, policyVersions, policyVersionsWithCalendars } from '../../projections/assistance/assistance.queries';
import { authorize } from '../permissions/permissions';
import type { CommandContext, CommandHandler } from '../command-handler';
import { calendarDocuments, policyDocuments } from './assistance.aggregates';
import { BadRequestError } from '../errors';
import { sha256Hex } from '../hash-chain';
import { assistancePermissions } from '../permissions/assistance.permissions';
import type { Db } from '../db';

export interface Rules {
  policy: PolicyVersion;
  policyHash: string;
  calendar: WorkingDayCalendar;
}

/** Assistance policy versions and working-day calendars: immutable, versioned data. */
export class PolicyRegistryService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly countyCode: string,
  ) {}

  async addPolicy(context: CommandContext, input: unknown) {
    await authorize(context.actor, assistancePermissions.setPolicy, input, 'add policy versions');
    let policy: PolicyVersion;
    try {
      policy = definePolicyVersion(input);
    } catch (error) {
      const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
      if (issues) throw new BadRequestError(issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '), 'body');
      throw error;
    }
    // The parsed version (defaults filled in) is what is stored and hashed.
    const contentHash = policyContentHash(policy);
    await this.commands.handle(
      policyDocuments,
      policy.id,
      { type: 'AddDocument', data: { kind: 'policy', id: policy.id, body: plainCopy(policy), contentHash } },
      context,
    );
    return { ...plainCopy(policy), contentHash };
  }

  async addCalendar(context: CommandContext, input: unknown) {
    await authorize(context.actor, assistancePermissions.setPolicy, input, 'add working-day calendars');
    let calendar: WorkingDayCalendar;
    try {
      calendar = defineWorkingDayCalendar(input as never);
    } catch (error) {
      const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
      if (issues) throw new BadRequestError(issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '), 'body');
      throw error;
    }
    const contentHash = sha256Hex(policyCanonicalJson(calendar));
    await this.commands.handle(
      calendarDocuments,
      calendar.id,
      { type: 'AddDocument', data: { kind: 'calendar', id: calendar.id, body: plainCopy(calendar), contentHash } },
      context,
    );
    return { ...calendar, contentHash };
  }

  listPolicies(countyCode?: string) {
    return policyVersions(this.db, countyCode);
  }

  listCalendars() {
    return calendars(this.db);
  }

  /** The policy version in force on a day for this county, with its hash and calendar. */
  async rulesOn(day: string): Promise<Rules> {
    const versions = await policyVersionsWithCalendars(this.db, this.countyCode);
    const policy = policyVersionInForce(
      versions.map((v) => defined(`policy:${v.id}:${v.contentHash}`, () => definePolicyVersion(v.body))),
      this.countyCode,
      day,
    );
    const stored = versions.find((v) => v.id === policy.id)!;
    const calendar = stored.calendar;
    if (!calendar)
      throw new DomainRuleViolation('calendar.missing', `working-day calendar ${policy.calendarId} of policy ${policy.id} is not registered`, {
        calendarId: policy.calendarId,
      });
    return {
      policy,
      policyHash: stored.contentHash,
      calendar: defined(`calendar:${policy.calendarId}:${calendar.contentHash}`, () => defineWorkingDayCalendar(calendar.body as never)),
    };
  }
}

/**
 * Policy versions and calendars as defined from their stored bodies, by id and content hash: a
 * stored document never changes (a new one is a new id), so each is validated once per process,
 * not on every step that needs the rules. Bounded: the oldest goes when a new one comes.
 */
const definitions = new Map<string, PolicyVersion | WorkingDayCalendar>();
function defined<T extends PolicyVersion | WorkingDayCalendar>(key: string, define: () => T): T {
  const known = definitions.get(key);
  if (known) return known as T;
  const made = define();
  if (definitions.size >= 64) definitions.delete(definitions.keys().next().value!);
  definitions.set(key, made);
  return made;
}

/** A document as JSON carries it (frozen arrays and objects become plain ones): what is stored and answered. */
function plainCopy(document: PolicyVersion | WorkingDayCalendar): Record<string, unknown> {
  return JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
}
