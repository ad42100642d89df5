import { AsyncLocalStorage } from 'node:async_hooks';
import type { Place } from './jurisdiction';

/**
 * The area (jurisdiction) checks a request passed, noted while it runs, so a stored reply to it
 * can be replayed only after the same checks pass again (issue 13: a worker whose group was
 * handed over must not get back a reply about that group's household by resending its key).
 * `covers` and `canSee` note every check that passes; nothing is noted outside a recording.
 */
export type AreaCheckKind = 'covers' | 'canSee';
export interface AreaCheck {
  kind: AreaCheckKind;
  place: Place;
}

const recording = new AsyncLocalStorage<AreaCheck[]>();

/** Runs `fn` (and everything it starts) with passed area checks pushed onto `into`. */
export function recordAreaChecks<T>(into: AreaCheck[], fn: () => T): T {
  return recording.run(into, fn);
}

export function noteAreaCheck(kind: AreaCheckKind, place: Place): void {
  const into = recording.getStore();
  if (!into) return;
  const noted: AreaCheck = { kind, place: { townId: place.townId, villageId: place.villageId ?? null, groupId: place.groupId ?? null } };
  const key = JSON.stringify(noted);
  if (!into.some((c) => JSON.stringify(c) === key)) into.push(noted);
}
