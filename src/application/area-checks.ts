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

/** The distinct checks one request passed (an import may pass the same one thousands of times). */
export class AreaCheckLog {
  private readonly byKey = new Map<string, AreaCheck>();

  note(kind: AreaCheckKind, place: Place): void {
    const check: AreaCheck = { kind, place: { townId: place.townId, villageId: place.villageId ?? null, groupId: place.groupId ?? null } };
    const key = `${kind}|${check.place.townId}|${check.place.villageId}|${check.place.groupId}`;
    if (!this.byKey.has(key)) this.byKey.set(key, check);
  }

  get checks(): AreaCheck[] {
    return [...this.byKey.values()];
  }
}

const recording = new AsyncLocalStorage<AreaCheckLog>();

/** Runs `fn` (and everything it starts) with the area checks that pass noted in `into`. */
export function recordAreaChecks<T>(into: AreaCheckLog, fn: () => T): T {
  return recording.run(into, fn);
}

export function noteAreaCheck(kind: AreaCheckKind, place: Place): void {
  recording.getStore()?.note(kind, place);
}
