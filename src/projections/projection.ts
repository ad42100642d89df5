import type { InlineWrite, PendingEvent, ReadAllOptions, RecordedEvent } from '../application/event-store';
import type { Db } from '../storage/database';
import type { HoldingTransaction } from '../storage/xmin-holder';

/**
 * A read model built from events.
 *
 * - `async`: a runner catches up from its checkpoint; the checkpoint moves in the same
 *   transaction as the read-model writes, so a crash loses nothing and applies nothing twice.
 * - `inline`: applied inside the append's own transaction, for read models a command's
 *   response must already reflect (read-your-writes).
 */
export interface Projection {
  readonly name: string;
  readonly mode: 'async' | 'inline';
  /** Event types it reads; others are skipped without being loaded. ALL_EVENT_TYPES: every event. */
  readonly handles: readonly string[];
  /** Tables it owns: emptied on rebuild. */
  readonly tables: readonly string[];
  apply(trx: Db, events: readonly RecordedEvent[]): Promise<void>;
  /** Inline only: `apply`'s writes as plain inserts the append statement carries (see InlineProjection). */
  rowsFor?(events: readonly PendingEvent[]): readonly InlineWrite[] | null;
  /** Inline with `rowsFor`: each stream's rows are its own (see InlineProjection.rowsByStream). */
  readonly rowsByStream?: boolean;
  /** Inline: its writes find rows by unique keys only (see InlineProjection.rebuildIndexesLast). */
  readonly rebuildIndexesLast?: boolean;
  /** Inline: the event types whose metadata its writes read (see InlineProjection.readsMetadataOf). */
  readonly readsMetadataOf?: readonly string[];
}

export type ProjectionState = 'starting' | 'catching_up' | 'live' | 'failed' | 'rebuilding' | 'stopped' | 'inline';

export interface ProjectionStatus {
  name: string;
  mode: Projection['mode'];
  state: ProjectionState;
  position: string;
  lag: number;
  eventsApplied: number;
  lastError: { message: string; at: string; attempts: number } | null;
  updatedAt: string | null;
  /** Lag above zero and no progress for the configured time (PROJECTION_STALL_AFTER_MS). */
  stalled: boolean;
  /** When the checkpoint last moved (or the runner started); null for inline projections. */
  lastProgressAt: string | null;
  /** While stalled on PostgreSQL: the oldest open transaction, which holds the snapshot xmin back. */
  heldBackBy: HoldingTransaction | null;
}

/** `handles` of an async projection that reads every event (the ledger's sealer). */
export const ALL_EVENT_TYPES: readonly string[] = Object.freeze(['*']);

/** The readAll filter for a projection's `handles`. */
export function readFilter(handles: readonly string[]): ReadAllOptions {
  return handles === ALL_EVENT_TYPES || (handles.length === 1 && handles[0] === '*') ? {} : { types: handles };
}
