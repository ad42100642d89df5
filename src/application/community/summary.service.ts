import { communitySummary, type CommunitySummary } from '../../projections/community/summary.queries';
import { ForbiddenError } from '../errors';
import { today, type CommunityAccess, type Reader } from './community-access';
import type { Db } from '../db';

/** `GET /api/v1/community/summary`: the article's counts, within the reader's jurisdiction. */
export class CommunitySummaryService {
  constructor(
    private readonly db: Db,
    private readonly access: CommunityAccess,
  ) {}

  async summary(context: Reader, filter: { townId?: string }): Promise<CommunitySummary & { asOf: string; townId: string | null }> {
    const townIds = await this.access.visibleTowns(context, 'read the community summary');
    if (filter.townId && townIds && !townIds.includes(filter.townId)) throw new ForbiddenError('this town is outside your jurisdiction');
    const summary = await communitySummary(this.db, { townIds, ...(filter.townId ? { townId: filter.townId } : {}) });
    return { asOf: today(context), townId: filter.townId ?? null, ...summary };
  }
}
