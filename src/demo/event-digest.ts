import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventStore, Position, RecordedEvent } from '../application/event-store';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A department record's key hashes the (randomly drawn) person id with the observation, both in the line already. */
const RECORD_KEY = /"recordKey":"[0-9a-f]{64}"/g;

/**
 * Every event after `after`. On PostgreSQL the log is read up to the oldest transaction still
 * open anywhere on the server (gap safety), so a read right after a load can miss its tail while
 * another session's transaction runs: read again until all the events the table holds are seen.
 */
async function readAllSettled(store: EventStore, after: Position, timeoutMs = 60_000): Promise<RecordedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events: RecordedEvent[] = [];
    for (let cursor = after; ; ) {
      const page = await store.readAll(cursor, 5000);
      events.push(...page.events);
      if (page.events.length === 0) break;
      cursor = page.next;
    }
    if (events.length >= (await store.countAfter(after)) || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * One digest of the events appended after `after`: what the demo county is, independent of the
 * order concurrent commands committed in (events sorted by stream and version) and of the person
 * ids the privacy index draws at random (each replaced by the ID number it was drawn for, as a
 * registration records both). The same seed must give the same digest on any store.
 */
export async function demoEventDigest(store: EventStore, after: Position): Promise<{ digest: string; events: number }> {
  const events = await readAllSettled(store, after);
  const personKeys = new Map<string, string>();
  for (const e of events) {
    for (const m of (e.data.members as { personId?: string; idNumber?: string }[] | undefined) ?? []) {
      if (m.personId && m.idNumber) personKeys.set(m.personId, `person:${m.idNumber}`);
    }
  }
  // An event id hashes its stream id: in a stream named by a person id (a finding's), it is as random as that id.
  const personStream = (streamId: string) => [...(streamId.match(UUID) ?? [])].some((id) => personKeys.has(id));
  const lines = events
    .map((e) => canonicalize({ streamId: e.streamId, version: e.version, eventId: personStream(e.streamId) ? '(from the command and stream)' : e.eventId, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata })!)
    .map((line) => line.replace(UUID, (id) => personKeys.get(id) ?? id).replace(RECORD_KEY, '"recordKey":"(person id hash)"'))
    .sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return { digest: hash.digest('hex'), events: lines.length };
}

/** The log's head, once every event the table holds is readable (see readAllSettled). */
export async function headPosition(store: EventStore, timeoutMs = 60_000): Promise<Position> {
  const deadline = Date.now() + timeoutMs;
  let cursor = 'start' as Position;
  for (;;) {
    const page = await store.readAll(cursor, 5000);
    if (page.events.length > 0) {
      cursor = page.next;
      continue;
    }
    if ((await store.countAfter(cursor)) === 0 || Date.now() > deadline) return cursor;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
