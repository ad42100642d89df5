import type { EventMetadata } from '../application/event-store';

/**
 * A rebuild's pages read the metadata only of the event types some projection being rebuilt
 * declares (InlineProjection.readsMetadataOf): the column as an SQL expression over es_events.
 * Issue 20: reading the county's log for a rebuild of every projection cost this process 5.0–6.6
 * CPU seconds and PostgreSQL 0.8–2.0 with every event's metadata, 3.9–5.1 and 0.6–1.0 without
 * (BENCHMARKS.md, session 24); one projection reads the metadata of one type.
 */
export function metadataColumn(types: readonly string[]): string {
  if (types.length === 0) return 'null::jsonb as metadata';
  // Event types are names from the code, never input: checked, then written into the text.
  const list = [...new Set(types)]
    .map((t) => {
      if (!/^[A-Za-z][A-Za-z0-9]{0,99}$/.test(t)) throw new Error(`not an event type: ${t}`);
      return `'${t}'`;
    })
    .join(', ');
  return `case when type in (${list}) then metadata end as metadata`;
}

const unread = new Map<string, EventMetadata>();

/**
 * What a rebuild gives as the metadata of an event of a type no projection declared: touching
 * it throws, naming the type, so a handler that reads it fails the rebuild (whose shadows are
 * then discarded) instead of writing rows without it.
 */
export function unreadMetadata(type: string): EventMetadata {
  let metadata = unread.get(type);
  if (!metadata) {
    const fail = (): never => {
      throw new Error(`a rebuild did not read the metadata of ${type}: list the type in the projection's readsMetadataOf`);
    };
    metadata = new Proxy({} as EventMetadata, { get: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail });
    unread.set(type, metadata);
  }
  return metadata;
}
