/**
 * What every story chapter's step backend shares (cases, imports, community, assessments): a
 * step's day, label and actor; how a backend runs stories side by side; and, in process, the
 * command context a step becomes.
 */
import type { Actor } from '../../application/actor';
import type { DemoContext } from '../context';
import { inParallel } from '../parallel';

/** One step: its county day, the label its deterministic command id derives from (in process), and who acts. */
export interface StepAt {
  day: string;
  label: string;
  actor: Actor;
}

/** Runs `work` for each item side by side, as the backend allows: each item's own steps in order. */
export type SideBySide = <T>(items: readonly T[], work: (item: T, index: number) => Promise<void>) => Promise<void>;

/** In process, a few items at a time (about the connection pool): each item is its own stream. */
export const sideBySideInProcess =
  (ctx: Pick<DemoContext, 'inFlight'>): SideBySide =>
  async (items, work) =>
    void (await inParallel(items, ctx.inFlight ?? 4, work));

/** In process, a step's command context: dated at its day, its command id derived from its label. */
export const commandAt =
  (ctx: Pick<DemoContext, 'at'>) =>
  (s: StepAt): ReturnType<DemoContext['at']> =>
    ctx.at(s.day, s.label, s.actor);
