import type { Actor } from '../application/actor';
import type { CommandContext } from '../application/command-handler';
import { deterministicUuid } from '../application/ids';
import type { DemoContext, DemoScale } from './context';
import { DEMO_ADMIN } from './demo-actors';
import { storyInstant } from './demo-time';
import { seededRng } from './rng';

/**
 * The part of a chapter's context that the seed alone gives: its randomness, the command context of
 * each act in county time (deterministic ids, so a re-run appends nothing) and an empty world.
 * `demoContext` adds the services; the HTTP loader (bench/http-load) plans from it alone.
 */
export function planningContext(run: {
  scale: DemoScale;
  seed: string;
  countyCode: string;
}): Pick<DemoContext, 'scale' | 'seed' | 'countyCode' | 'rng' | 'at' | 'world'> {
  return {
    scale: run.scale,
    seed: run.seed,
    countyCode: run.countyCode,
    rng: (label) => seededRng(run.seed, label),
    at(when: string, label: string, actor: Actor = DEMO_ADMIN): CommandContext {
      const commandId = deterministicUuid(`${run.seed}:${label}`);
      return { actor, commandId, correlationId: commandId, causationId: null, now: storyInstant(when, `${run.seed}:${label}`) };
    },
    world: { towns: [], villages: [], groups: [], workers: [], officials: [], households: [], stories: {} },
  };
}
