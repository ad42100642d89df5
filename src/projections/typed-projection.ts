import type { InlineWrite, PendingEvent, RecordedEvent } from '../application/event-store';
import type { Db, TableName } from '../storage/database';
import type { Projection } from './projection';

/** A domain event: a literal `type` and its `data` (every decider's union has this shape). */
export interface DomainEvent {
  type: string;
  data: object;
}

/** A stored event whose `type` and `data` are one member of the union `E`. */
export type Recorded<E extends DomainEvent> = E extends DomainEvent ? Omit<RecordedEvent, 'type' | 'data'> & E : never;

/** An event about to be appended (no position yet), typed like Recorded. */
export type Pending<E extends DomainEvent> = E extends DomainEvent ? Omit<PendingEvent, 'type' | 'data'> & E : never;

/** One handler per event type of `E`, each given that event, typed (cf. Emmett's `CanHandle<E>`). */
export type Handlers<E extends DomainEvent> = {
  readonly [T in E['type']]: (trx: Db, event: Recorded<Extract<E, { type: T }>>) => Promise<void>;
};

export interface TypedProjectionSpec<E extends DomainEvent> {
  readonly name: string;
  readonly mode: Projection['mode'];
  /** Tables it owns: emptied on rebuild. */
  readonly tables: readonly TableName[];
  /**
   * Keyed by event type: `handles` is these keys, so an event of `E` without a handler, or a
   * misspelt type, fails to compile instead of being skipped at run time.
   */
  readonly handlers: Handlers<E>;
  /**
   * Inline only: the handlers' writes as plain inserts the append statement carries, or null
   * when these events need the transaction (see Projection.rowsFor). Given only the events of `E`.
   */
  readonly rowsFor?: (events: readonly Pending<E>[]) => readonly InlineWrite[] | null;
  /** With `rowsFor`: each stream's rows are its own, so a rebuild may fold whole streams (InlineProjection.rowsByStream). */
  readonly rowsByStream?: boolean;
  /** Its writes find rows by unique keys only: a rebuild builds the other indexes last (InlineProjection.rebuildIndexesLast). */
  readonly rebuildIndexesLast?: boolean;
  /** The events whose metadata its handlers read: a rebuild reads no other's (InlineProjection.readsMetadataOf). */
  readonly readsMetadataOf?: readonly E['type'][];
}

/** A projection that remembers its event union (tests give it events of exactly that type). */
export interface TypedProjection<E extends DomainEvent> extends Projection {
  readonly handlers: Handlers<E>;
}

/** A projection typed by the events it reads; events are applied one by one, in order. */
export function typedProjection<E extends DomainEvent>(spec: TypedProjectionSpec<E>): TypedProjection<E> {
  const byType: object = spec.handlers;
  const handlers = byType as Readonly<Record<string, Handler | undefined>>;
  const rowsFor: object | undefined = spec.rowsFor;
  return {
    ...(rowsFor ? { rowsFor: rowsFor as RowsFor } : {}),
    ...(spec.rowsByStream ? { rowsByStream: true } : {}),
    ...(spec.rebuildIndexesLast ? { rebuildIndexesLast: true } : {}),
    ...(spec.readsMetadataOf ? { readsMetadataOf: Object.freeze([...spec.readsMetadataOf]) } : {}),
    name: spec.name,
    mode: spec.mode,
    handles: Object.freeze(Object.keys(handlers)),
    tables: spec.tables,
    handlers: spec.handlers,
    async apply(trx, events) {
      for (const event of events) await handlers[event.type]?.(trx, event);
    },
  };
}

/**
 * The one place a stored event meets its typed handler. The store only hands a projection the
 * types in `handles` (readAll filter, inline dispatch), and every stored event was validated
 * against its zod schema on append, so the event's `data` is the handler's.
 */
type Handler = (trx: Db, event: RecordedEvent) => Promise<void>;
type RowsFor = (events: readonly PendingEvent[]) => readonly InlineWrite[] | null;
