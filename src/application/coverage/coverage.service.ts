import { coverage, type CoverageFacet, type CoverageReport } from '../../projections/coverage/coverage-oracle.queries';
import { coverageFromModel, type CoverageModelReport } from '../../projections/coverage/coverage.queries';
import { anyAuthenticated, authorize } from '../permissions/permissions';
import { countyDate } from '../clock';
import type { CommandContext } from '../command-handler';
import { ForbiddenError } from '../errors';
import { visibility, type JurisdictionResolver } from '../jurisdiction';
import type { Db } from '../db';
import { coverageAtDetail, type CoverageDetail } from './coverage-summary';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

/** Coverage, cut to the caller's jurisdiction: a village worker sees their own groups only. */
export class CoverageService {
  constructor(
    private readonly db: Db,
    private readonly jurisdictions: JurisdictionResolver,
    private readonly facets: readonly CoverageFacet[] = [],
  ) {}

  /**
   * From the read model, or computed at query time (`source: 'query'`, the oracle) for an earlier
   * day: the model's visit counters hold whole months, so only today or a later day reads them.
   */
  async report(
    context: Reader,
    filter: { townId?: string; villageId?: string; date?: string; source?: 'read-model' | 'query'; detail?: CoverageDetail },
  ) {
    const { detail, ...rest } = filter;
    // Groups by default only when one village is asked about (the drill-down); the county's or a town's report is a summary.
    return coverageAtDetail(await this.fullReport(context, rest), detail ?? (filter.villageId ? 'groups' : 'summary'));
  }

  private async fullReport(
    context: Reader,
    filter: { townId?: string; villageId?: string; date?: string; source?: 'read-model' | 'query' },
  ): Promise<CoverageReport | CoverageModelReport> {
    await authorize(context.actor, anyAuthenticated, filter, 'read coverage');
    // Jurisdiction is today's, whatever date is asked about: an ended link opens no history.
    const j = await this.jurisdictions.resolve(context.actor, countyDate(context.now));
    const now = countyDate(context.now);
    const today = filter.date ?? now;
    if (j.scope === 'none') throw new ForbiddenError('you have no jurisdiction today');
    const scope = visibility(j);
    if (filter.townId && scope.townIds && !scope.townIds.includes(filter.townId)) throw new ForbiddenError('this town is outside your jurisdiction');
    const { source, date: _date, ...place } = filter;
    if (source === 'query' || today < now) return coverage(this.db, { ...place, ...scope }, today, this.facets);
    return coverageFromModel(this.db, { ...place, ...scope }, today);
  }
}
