import type { CommandContext } from '../application/command-handler';
import type { EventStore } from '../application/event-store';
import { deterministicUuid } from '../application/ids';

/**
 * A chapter that finished leaves a marker event in the run's own stream, so a resumed or repeated
 * run skips it (and only re-plans its part of the world) instead of re-issuing every command.
 */
export const DEMO_CHAPTER_COMPLETED = 'DemoChapterCompleted';

type Run = { seed: string; scale: string; countyCode: string };

export const demoRunStreamId = (run: Run) => `demo-run-${deterministicUuid(`demo-run:${run.seed}:${run.scale}:${run.countyCode}`)}`;

export async function chapterMarkers(store: EventStore, run: Run): Promise<Map<string, Record<string, number>>> {
  const done = new Map<string, Record<string, number>>();
  for (const event of await store.readStream(demoRunStreamId(run))) {
    if (event.type === DEMO_CHAPTER_COMPLETED) done.set(String(event.data.chapter), event.data.counts as Record<string, number>);
  }
  return done;
}

export async function recordChapterDone(store: EventStore, run: Run, chapter: string, counts: Record<string, number>, context: CommandContext): Promise<void> {
  await store.append(
    demoRunStreamId(run),
    [
      {
        eventId: deterministicUuid(`${context.commandId}:marker`),
        type: DEMO_CHAPTER_COMPLETED,
        data: { chapter, counts, scale: run.scale, countyCode: run.countyCode },
        metadata: {
          actorId: context.actor.id,
          actorRole: context.actor.role,
          causationId: null,
          commandId: context.commandId,
          correlationId: context.correlationId,
          recordedAt: context.now.toISOString(),
          schemaVersion: 1,
        },
      },
    ],
    'any',
  );
}
