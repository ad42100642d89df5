import { fileURLToPath } from 'node:url';
import {
  CASE_PROCEDURE_POLICY_STREAM,
  CaseProcedurePolicySchema,
  caseProcedurePolicyDecider,
  procedurePolicyOn,
  type CaseProcedurePolicy,
} from '../../domain/assistance/case-procedure-policy';
import { fold } from '../../domain/shared/decider';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { roles, writePermission } from '../permissions/permissions';
import type { CommandContext, CommandHandler } from '../command-handler';
import { caseProcedurePolicies } from './assistance.aggregates';
import type { EventStore } from '../event-store';
import { PolicyVersionStream } from '../policy-version-stream';

const DEFAULT_FILE = fileURLToPath(new URL('../../../policies/case-procedure-policy.default.json', import.meta.url));
const setPolicy = writePermission(roles('admin'));

/**
 * The case-procedure policy (who confirms which program up to which amount; how far back an
 * ordinary command may date a step): one small append-only stream, read whole when needed.
 */
export class CaseProcedureService {
  private readonly stream;

  constructor(
    commands: CommandHandler,
    private readonly store: EventStore,
  ) {
    this.stream = new PolicyVersionStream(commands, {
      aggregate: caseProcedurePolicies,
      add: (policy) => ({ type: 'AddCaseProcedurePolicy' as const, data: { policy } }),
      write: setPolicy,
      what: 'set case-procedure policies',
      defaultFile: DEFAULT_FILE,
      schema: CaseProcedurePolicySchema,
      versions: () => this.versions(),
    });
  }

  async versions(): Promise<CaseProcedurePolicy[]> {
    const events = await this.store.readStream(CASE_PROCEDURE_POLICY_STREAM);
    return fold(caseProcedurePolicyDecider, events as never).versions;
  }

  async on(day: string): Promise<CaseProcedurePolicy> {
    return procedurePolicyOn(await this.versions(), day);
  }

  add(context: CommandContext, policy: Omit<CaseProcedurePolicy, 'version'>): Promise<CaseProcedurePolicy> {
    return this.stream.add(context, policy);
  }

  seedDefault(context: CommandContext): Promise<void> {
    return this.stream.seedDefault(context);
  }

  /**
   * Ordinary commands may date a step at most the policy's window back; older dates are for the
   * legacy-roll import only, which records its reason.
   */
  async requireRecent(day: string, today: string): Promise<void> {
    const window = (await this.on(today)).backdateWindowDays;
    const earliest = new Date(Date.parse(`${today}T00:00:00Z`) - window * 86_400_000).toISOString().slice(0, 10);
    if (day < earliest) {
      throw new DomainRuleViolation(
        'case.date_too_old',
        `日期 ${day} 早于可补录的最早日期 ${earliest}（${window} 天）；更早的记录只能通过存量数据导入并说明理由`,
        { day, earliest, windowDays: window },
      );
    }
  }
}
