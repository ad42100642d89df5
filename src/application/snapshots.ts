/**
 * Port: snapshots of a decider's state, so a command on a long stream folds only the events
 * after the snapshot. A snapshot is a cache (losing one costs a longer read, never a wrong
 * answer), keyed by stream and by `key`, which names the decider and its state shape: change
 * the key when the state's shape changes, and old snapshots are ignored.
 */
export interface Snapshot {
  version: number;
  state: unknown;
}

export interface SnapshotStore {
  load(streamId: string, key: string): Promise<Snapshot | null>;
  /** Keeps the newest: a snapshot never moves back to a lower version. */
  save(streamId: string, key: string, snapshot: Snapshot): Promise<void>;
}

/** Opt-in per command: the state must survive JSON (plain objects, arrays, strings, numbers). */
export interface SnapshotPolicy {
  key: string;
  /** Take a new snapshot once this many events have been appended since the last one. */
  every: number;
}
