import type { Kysely } from 'kysely';
import { coverage, type CoverageFacet, type CoverageReport } from '../../projections/coverage/coverage.queries';
import { anyAuthenticated, authorize } from '../authorization';
import { countyDate } from '../clock';
import type { CommandContext } from '../command-handler';
import { ForbiddenError } from '../errors';
import type { JurisdictionResolver } from '../jurisdiction';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

/** Coverage, cut to the caller's jurisdiction: a village worker sees their own groups only. */
export class CoverageService {
  constructor(
    private readonly db: Kysely<any>,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly facets: readonly CoverageFacet[] = [],
  ) {}

  async report(context: Reader, filter: { townId?: string; villageId?: string; date?: string }): Promise<CoverageReport> {
    await authorize(context.actor, anyAuthenticated, filter, 'read coverage');
    const today = filter.date ?? countyDate(context.now);
    const j = await this.jurisdictions.resolve(context.actor, today);
    if (j.scope === 'none') throw new ForbiddenError('you have no jurisdiction on this date');
    const scope =
      j.scope === 'all'
        ? { townIds: null, groupIds: null }
        : j.scope === 'towns'
          ? { townIds: [...j.townIds], groupIds: null }
          : { townIds: [...j.townIds], groupIds: [...j.groupIds] };
    if (filter.townId && scope.townIds && !scope.townIds.includes(filter.townId)) throw new ForbiddenError('this town is outside your jurisdiction');
    return coverage(this.db, { ...filter, ...scope }, today, this.facets);
  }
}
