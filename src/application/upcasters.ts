import type { RecordedEvent } from './event-store';

/** Turns the data of one schema version of an event type into the next version's shape. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Applied on every read, so the domain and projections only ever see current schemas while
 * the stored (and hashed) events stay exactly as they were written.
 */
export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const u of upcasters) this.byKey.set(`${u.type}@${u.fromVersion}`, u);
  }

  apply<T extends Pick<RecordedEvent, 'type' | 'schemaVersion' | 'data'>>(event: T): T {
    let current = event;
    for (let guard = 0; guard < 100; guard++) {
      const next = this.byKey.get(`${current.type}@${current.schemaVersion}`);
      if (!next) return current;
      current = { ...current, data: next.upcast(current.data), schemaVersion: current.schemaVersion + 1 };
    }
    throw new Error(`upcaster loop for ${event.type}`);
  }
}
