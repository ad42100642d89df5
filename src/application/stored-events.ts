import type { DomainEvent } from '../domain/shared/decider';
import type { RecordedEvent } from './event-store';

/**
 * The boundary between the store's events (any type, untyped data) and a decider's union: the
 * only place application code narrows one. Sound because every stored event passed its
 * catalog's zod schema on append (older versions are upcast on read), and callers read the
 * types they name: one aggregate's stream, or a read filtered by type.
 */
export function asDomainEvent<E extends DomainEvent>(event: RecordedEvent): RecordedEvent & E {
  return event as RecordedEvent & E;
}

export function asDomainEvents<E extends DomainEvent>(events: readonly RecordedEvent[]): (RecordedEvent & E)[] {
  return events.map((event) => asDomainEvent<E>(event));
}

/** The data of a stored event whose type the caller checked (`e.type === 'CaseDecided'`). */
export function dataOf<Data extends object>(event: Pick<RecordedEvent, 'data'>): Data {
  const data: object = event.data;
  return data as Data;
}
