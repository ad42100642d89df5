import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventStore, RecordedEvent } from '../application/event-store';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A department record's key hashes the (randomly drawn) person id with the observation, both in the line already. */
const RECORD_KEY = /"recordKey":"[0-9a-f]{64}"/g;

/**
 * Every event id in the log, read from the streams themselves: the global, gap-safe read holds
 * back the newest events while any transaction in the cluster is open, so it cannot say what a
 * run that just finished appended.
 */
export async function logEventIds(store: EventStore): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const e of store.readStreamsByPrefix('')) ids.add(e.eventId);
  return ids;
}

/**
 * One digest of the events not in `before`: what the demo county is, independent of the order
 * concurrent commands committed in (events sorted by stream and version) and of the person ids
 * the privacy index draws at random (each replaced by the ID number it was drawn for, as a
 * registration records both). The same seed must give the same digest on any store.
 */
export async function demoEventDigest(store: EventStore, before: ReadonlySet<string>): Promise<{ digest: string; events: number }> {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStreamsByPrefix('')) if (!before.has(e.eventId)) events.push(e);
  const personKeys = new Map<string, string>();
  for (const e of events) {
    for (const m of (e.data.members as { personId?: string; idNumber?: string }[] | undefined) ?? []) {
      if (m.personId && m.idNumber) personKeys.set(m.personId, `person:${m.idNumber}`);
    }
  }
  // An event id hashes its stream id: in a stream named by a person id (a finding's), it is as random as that id.
  const personStream = (streamId: string) => [...(streamId.match(UUID) ?? [])].some((id) => personKeys.has(id));
  const lines = events
    .map((e) =>
      canonicalize({
        streamId: e.streamId,
        version: e.version,
        eventId: personStream(e.streamId) ? '(from the command and stream)' : e.eventId,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
      })!,
    )
    .map((line) => line.replace(UUID, (id) => personKeys.get(id) ?? id).replace(RECORD_KEY, '"recordKey":"(person id hash)"'))
    .sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return { digest: hash.digest('hex'), events: lines.length };
}
