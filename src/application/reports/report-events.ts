import type { DomainEvent } from '../../domain/shared/decider';
import { START, type EventStore, type Position } from '../event-store';
import { asDomainEvent } from '../stored-events';

/**
 * Reads events of these types recorded before the cut-off, in commit order. The cut-off, not
 * the read time, decides what a report sees, so a report of a past month is the same whenever
 * it is produced.
 */
export async function* eventsBefore<E extends DomainEvent>(store: EventStore, types: readonly E['type'][], cutoff: string): AsyncGenerator<E> {
  const limit = Date.parse(cutoff);
  let position: Position = START;
  for (;;) {
    const page = await store.readAll(position, 2000, { types });
    for (const e of page.events) if (Date.parse(e.recordedAt) < limit) yield asDomainEvent<E>(e); // read filtered by the types E names
    if (page.events.length === 0 || page.next === position) return;
    position = page.next;
  }
}

/** The first instant after a county day (Asia/Shanghai, UTC+8 all year). */
export const endOfCountyDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00.000+08:00`) + 86_400_000).toISOString();
