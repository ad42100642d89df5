import { coverage, type CoverageFacet, type CoverageReport } from '../../projections/coverage/coverage.queries';
import { anyAuthenticated, authorize } from '../permissions/permissions';
import { countyDate } from '../clock';
import type { CommandContext } from '../command-handler';
import { ForbiddenError } from '../errors';
import { visibility, type JurisdictionResolver } from '../jurisdiction';
import type { Db } from '../db';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

/** Coverage, cut to the caller's jurisdiction: a village worker sees their own groups only. */
export class CoverageService {
  constructor(
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly facets: readonly CoverageFacet[] = [],
  ) {}

  async report(context: Reader, filter: { townId?: string; villageId?: string; date?: string }): Promise<CoverageReport> {
    await authorize(context.actor, anyAuthenticated, filter, 'read coverage');
    // Jurisdiction is today's, whatever date is asked about: an ended link opens no history.
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const today = filter.date ?? countyDate(context.now);
    if (j.scope === 'none') throw new ForbiddenError('you have no jurisdiction today');
    const scope = visibility(j);
    if (filter.townId && scope.townIds && !scope.townIds.includes(filter.townId)) throw new ForbiddenError('this town is outside your jurisdiction');
    return coverage(this.db, { ...filter, ...scope }, today, this.facets);
  }
}
