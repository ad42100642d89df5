import { reserveBalance } from '../../domain/assistance/reserve-fund';
import { policyVersionInForce } from '../../domain/assistance/policy/policy-selection';
import { definePolicyVersion } from '../../domain/assistance/policy/policy-version';
import { DomainRuleViolation } from '../../domain/shared/errors';
import { policyVersions } from '../../projections/assistance/assistance.queries';
import { allTownIds, getTown } from '../../projections/geography/geography.queries';
import { reserveMovements } from '../../projections/assistance/reserve-funds.queries';
import { authorize } from '../permissions/permissions';
import { reserveFundPermissions } from '../permissions/reserve-funds.permissions';
import type { Actor } from '../actor';
import { countyDate } from '../clock';
import type { CommandContext, CommandHandler } from '../command-handler';
import { reserveFunds } from './assistance.aggregates';
import { NotFoundError } from '../errors';
import { deterministicUuid } from '../ids';
import type { Db } from '../db';

type Reader = { actor: Actor; now: Date };

export interface ReserveFundView {
  townId: string;
  townName: string;
  asOf: string;
  toppedUpFen: number;
  drawnFen: number;
  balanceFen: number;
  /** From the policy version in force on `asOf`, when it sets a reserve fund. */
  floatFenPerTown: number | null;
  lowBalanceFen: number | null;
  low: boolean;
  /** What a top-up to the float would take (0 when at or above it). */
  topUpToFloatFen: number | null;
}

/** The towns' 临时救助 reserve funds: top-ups by the bureau, balances as of a day. */
export class ReserveFundsService {
  constructor(
    private readonly commands: CommandHandler,
    private readonly db: Db,
    private readonly countyCode: string,
  ) {}

  async topUp(context: CommandContext, townId: string, input: { fen: number; on?: string; reference: string }): Promise<ReserveFundView> {
    await authorize(context.actor, reserveFundPermissions.topUp, input, 'top up a town’s reserve fund');
    await this.townName(townId);
    const today = countyDate(context.now);
    await this.commands.handle(
      reserveFunds,
      townId,
      {
        type: 'TopUp',
        data: {
          townId,
          topUpId: deterministicUuid(`${context.commandId}:reserve-top-up`),
          fen: input.fen,
          on: input.on ?? today,
          reference: input.reference,
          today,
        },
      },
      context,
    );
    return this.balanceOf(townId, today);
  }

  async list(reader: Reader, asOf?: string): Promise<ReserveFundView[]> {
    await authorize(reader.actor, reserveFundPermissions.read, undefined, 'read reserve funds');
    const day = asOf ?? countyDate(reader.now);
    const towns = await allTownIds(this.db);
    return Promise.all(towns.map((id) => this.balanceOf(id, day)));
  }

  async movements(reader: Reader, townId: string, asOf?: string) {
    await authorize(reader.actor, reserveFundPermissions.read, undefined, 'read reserve funds');
    const day = asOf ?? countyDate(reader.now);
    return {
      ...(await this.balanceOf(townId, day)),
      items: (await reserveMovements(this.db, day, townId)).map(({ id, kind, fen, on, caseId, reference, recordedAt }) => ({
        id,
        kind,
        fen,
        on,
        caseId,
        reference,
        recordedAt,
      })),
    };
  }

  async balanceOf(townId: string, asOf: string): Promise<ReserveFundView> {
    const townName = await this.townName(townId);
    const b = reserveBalance(await reserveMovements(this.db, asOf, townId), asOf);
    const fund = await this.policyFund(asOf);
    return {
      townId,
      townName,
      asOf,
      ...b,
      floatFenPerTown: fund?.floatFenPerTown ?? null,
      lowBalanceFen: fund?.lowBalanceFen ?? null,
      low: fund ? b.balanceFen < fund.lowBalanceFen : false,
      topUpToFloatFen: fund ? Math.max(0, fund.floatFenPerTown - b.balanceFen) : null,
    };
  }

  private async policyFund(day: string) {
    const versions = await policyVersions(this.db, this.countyCode);
    try {
      return (
        policyVersionInForce(
          versions.map((v) => definePolicyVersion(v.body)),
          this.countyCode,
          day,
        ).reserveFund ?? null
      );
    } catch (error) {
      // No policy in force yet: a balance without a float.
      if (error instanceof DomainRuleViolation && error.rule === 'policy.none_in_force') return null;
      throw error;
    }
  }

  private async townName(townId: string): Promise<string> {
    const town = await getTown(this.db, townId);
    if (!town) throw new NotFoundError('town', townId);
    return town.name;
  }
}

/** The balance an emergency grant in this town is checked against, on the decision date. */
export async function reserveBalanceForGrant(db: Db, townId: string, day: string): Promise<number> {
  return reserveBalance(await reserveMovements(db, day, townId), day).balanceFen;
}
