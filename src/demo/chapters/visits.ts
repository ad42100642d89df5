import type { Actor } from '../../application/actor';
import type { DemoChapter } from '../context';
import { inParallel } from '../parallel';
import { planHouseholds } from './households-plan';
import { planVisits } from './visits-plan';

const ALL_YEAR = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
/** The months `/schedule/overdue` looks back over (policy: 3 months before the current one). */
const OVERDUE_WINDOW = [9, 10, 11, 12];

export const visitsChapter: DemoChapter = {
  name: 'visits',
  // Visits add nothing to the world later chapters read.
  restore: async () => undefined,
  async run(ctx) {
    // The sample keeps a tenth of the visits: its tenth of the households, and the last four months.
    const months = ctx.scale === 'sample' ? OVERDUE_WINDOW : ALL_YEAR;
    const visits = planVisits(ctx, planHouseholds(ctx, ctx.world.groups), months);
    const levels = new Map(ctx.world.workers.map((w) => [w.id, w.level]));
    let done = 0;
    let late = 0;
    // Each worker records their own visits (the service checks they were responsible that day).
    await inParallel(visits, ctx.inFlight ?? 4, async (v) => {
      const actor: Actor = { id: v.workerId, role: levels.get(v.workerId) === 'town' ? 'town_worker' : 'village_worker' };
      const context = ctx.at(v.recordedOn, v.label, actor);
      const result = await ctx.services.visits.recordVisit(context, {
        ...(v.householdId ? { householdId: v.householdId } : { groupId: v.groupId }),
        date: v.date,
        kind: v.kind,
        findings: v.findings,
        followUpActions: v.followUpActions,
        peopleServed: v.peopleServed,
      });
      if (result.late) late++;
      ctx.progress('visits', ++done, visits.length);
    });
    return {
      visits: visits.length,
      groupVisits: visits.filter((v) => v.householdId === null).length,
      householdVisits: visits.filter((v) => v.householdId !== null).length,
      reviews: visits.filter((v) => v.kind === 'review').length,
      recordedLate: late,
    };
  },
};
