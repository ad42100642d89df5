import type { Actor } from '../../application/actor';
import type { DemoChapter, DemoContext } from '../context';
import { inParallel } from '../parallel';
import { planHouseholds } from './households-plan';
import { planVisits } from './visits-plan';

const ALL_YEAR = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
/** The months `/schedule/overdue` looks back over (policy: 3 months before the current one). */
const OVERDUE_WINDOW = [9, 10, 11, 12];
/** Visits recorded together (one read of groups and policies, one append each). */
const VISIT_BATCH = 200;

type PlannedVisit = ReturnType<typeof planVisits>[number];

/** The months the chapter covers: the sample keeps a tenth of the visits (its tenth of the households, the last four months). */
export const visitMonths = (scale: DemoContext['scale']) => (scale === 'sample' ? OVERDUE_WINDOW : ALL_YEAR);

/** A planned visit as its worker records it (the service checks they were responsible that day). */
export function visitRequest(ctx: DemoContext, levels: ReadonlyMap<string, string>, v: PlannedVisit) {
  const actor: Actor = { id: v.workerId, role: levels.get(v.workerId) === 'town' ? 'town_worker' : 'village_worker' };
  return {
    context: ctx.at(v.recordedOn, v.label, actor),
    input: {
      ...(v.householdId ? { householdId: v.householdId } : { groupId: v.groupId }),
      date: v.date,
      kind: v.kind,
      findings: v.findings,
      followUpActions: v.followUpActions,
      peopleServed: v.peopleServed,
    },
  };
}

/** The chapter's counts for its summary. */
export const visitsSummary = (visits: readonly PlannedVisit[], recordedLate: number) => ({
  visits: visits.length,
  groupVisits: visits.filter((v) => v.householdId === null).length,
  householdVisits: visits.filter((v) => v.householdId !== null).length,
  reviews: visits.filter((v) => v.kind === 'review').length,
  recordedLate,
});

export const visitsChapter: DemoChapter = {
  name: 'visits',
  // Visits add nothing to the world later chapters read.
  restore: async () => undefined,
  async run(ctx) {
    const visits = planVisits(ctx, planHouseholds(ctx, ctx.world.groups), visitMonths(ctx.scale));
    const levels = new Map(ctx.world.workers.map((w) => [w.id, w.level]));
    let done = 0;
    let late = 0;
    // Each worker records their own visits (the service checks they were responsible that day),
    // a batch at a time: the same checks and events as one by one, with one read of the groups
    // and the policies and one append for the batch (VisitsService.recordVisits).
    const batches: (typeof visits)[] = [];
    for (let i = 0; i < visits.length; i += VISIT_BATCH) batches.push(visits.slice(i, i + VISIT_BATCH));
    await inParallel(batches, ctx.inFlight ?? 4, async (batch) => {
      const outcomes = await ctx.services.visits.recordVisits(batch.map((v) => visitRequest(ctx, levels, v)));
      for (const outcome of outcomes) {
        if (!outcome.ok) throw outcome.error;
        if (outcome.value.late) late++;
      }
      done += batch.length;
      ctx.progress('visits', done, visits.length);
    });
    return visitsSummary(visits, late);
  },
};
