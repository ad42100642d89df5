import { z } from 'zod';
import type { EventCatalog } from '../shared/event-schemas';
import { DomainRuleViolation } from '../shared/errors';
import { latestInForce, versionedPolicyDecider } from '../shared/policy/policy-versions';
import { ProgramSchema, type Program } from './case.events';

/**
 * Who confirms (审核确认) which program, up to which amount, and how far back an ordinary command
 * may date a step: versioned data, because provinces delegate differently (some give 低保
 * confirmation to the town government, most keep it at the county bureau).
 */
export const AuthoritySchema = z.enum(['civil_affairs_officer', 'town_official']);
export type Authority = z.infer<typeof AuthoritySchema>;

export const ConfirmationRuleSchema = z.object({
  program: ProgramSchema,
  authority: AuthoritySchema,
  /** Largest one-off amount (fen) this authority confirms; null = no limit. */
  maxOneOffFen: z.int().min(0).nullable(),
  /** Largest monthly amount (fen) this authority confirms; null = no limit. */
  maxMonthlyFen: z.int().min(0).nullable(),
});

export const CaseProcedurePolicySchema = z.object({
  version: z.int().min(1),
  effectiveFrom: z.iso.date(),
  confirmation: z.array(ConfirmationRuleSchema).min(1),
  /** Ordinary commands may date a step at most this many days back; older dates only through the legacy import. */
  backdateWindowDays: z.int().min(0).max(90),
});
export type CaseProcedurePolicy = z.infer<typeof CaseProcedurePolicySchema>;

export const CaseProcedurePolicyAddedSchema = z.object({ policy: CaseProcedurePolicySchema, addedAt: z.string().datetime() });
export type CaseProcedurePolicyEvent = { type: 'CaseProcedurePolicyVersionAdded'; data: z.infer<typeof CaseProcedurePolicyAddedSchema> };
export const caseProcedurePolicyEvents = { CaseProcedurePolicyVersionAdded: { schema: CaseProcedurePolicyAddedSchema, version: 1 } } satisfies EventCatalog;
export type AddCaseProcedurePolicy = { type: 'AddCaseProcedurePolicy'; data: { policy: Omit<CaseProcedurePolicy, 'version'>; now: string } };
export const caseProcedurePolicyDecider = versionedPolicyDecider<AddCaseProcedurePolicy, CaseProcedurePolicyEvent, CaseProcedurePolicy>(
  'CaseProcedurePolicyVersionAdded',
  'case_procedure_policy',
);
export const CASE_PROCEDURE_POLICY_STREAM = 'case-procedure-policy';

export function procedurePolicyOn(versions: readonly CaseProcedurePolicy[], day: string): CaseProcedurePolicy {
  const p = latestInForce(versions, day);
  if (!p) throw new DomainRuleViolation('case_procedure_policy.none_in_force', `${day} 没有生效的救助程序政策`, { day });
  return p;
}

/** The decision's amount as the rules compare it. */
export type DecidedAmount = { kind: 'one_off'; fen: number } | { kind: 'monthly'; fen: number } | null;

/** Authorities that may confirm a decision of this program and amount under the policy. */
export function authoritiesFor(policy: CaseProcedurePolicy, program: Program, amount: DecidedAmount): Authority[] {
  return policy.confirmation
    .filter((r) => r.program === program)
    .filter((r) => {
      if (!amount) return true;
      const max = amount.kind === 'one_off' ? r.maxOneOffFen : r.maxMonthlyFen;
      return max === null || amount.fen <= max;
    })
    .map((r) => r.authority);
}

/** Refuses a decider whose role the policy does not name for this program and amount. */
export function requireConfirmingAuthority(policy: CaseProcedurePolicy, program: Program, amount: DecidedAmount, role: string): void {
  const allowed = authoritiesFor(policy, program, amount);
  // The bureau's own administrator account confirms as the bureau (县民政局) does.
  const as = role === 'admin' ? 'civil_affairs_officer' : role;
  if (!(allowed as string[]).includes(as)) {
    const names: Record<Authority, string> = { civil_affairs_officer: '县民政局', town_official: '乡镇人民政府' };
    throw new DomainRuleViolation(
      'case.confirmation_authority',
      allowed.length ? `此决定须由${allowed.map((a) => names[a]).join('或')}审核确认` : '救助程序政策没有为此项目和金额指定审核确认机关',
      { program, amount, allowed, role },
    );
  }
}
