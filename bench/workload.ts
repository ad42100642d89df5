import { createHash, randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../src/application/event-store';

/**
 * The benchmark's workload: VisitRecorded events (a village social worker's household visit,
 * 走访), about 300 bytes of JSON data each with Chinese text, grouped into one stream per
 * household. Each writer owns its own households, so writers never contend on a stream.
 */

/**
 * The event type written. Its payload has the shape of the domain's VisitRecorded
 * (src/domain/visits/visit.ts), but by default under its own name, so the service's inline
 * projections (the households projection handles VisitRecorded) do not run inside the append
 * and the figures are the store's. `--real-type` writes VisitRecorded itself (see store.bench.ts).
 */
export const BENCH_EVENT_TYPE = 'BenchVisitRecorded';
export const DOMAIN_EVENT_TYPE = 'VisitRecorded';

const KINDS = ['routine', 'review', 'emergency', 'care', 'alert_follow_up'] as const;

const FINDINGS = [
  '老人独居，血压偏高，需每周查看',
  '收入减少，孩子学费困难',
  '动态复核：家庭情况无变化',
  '房屋漏雨，已联系村委会',
  '出院后康复良好，药费负担重',
] as const;

const FOLLOW_UPS = [['一周内回访'], ['申请临时救助'], [], ['协调志愿者', '下月复访']] as const;

export interface Batch {
  writer: number;
  streamId: string;
  /** Version the stream is at before this append: 0 means it does not exist yet. */
  expected: number;
  events: NewEvent[];
}

export interface WorkloadOptions {
  type: string;
  /** Every field of VisitRecordedSchema (about 420 bytes) instead of the ~300-byte subset. */
  fullPayload?: boolean;
  events: number;
  writers: number;
  batch: number;
  streamEvents: number;
}

export interface Workload {
  /** One list of appends per writer, in the order that writer makes them. */
  perWriter: Batch[][];
  totalEvents: number;
  streams: number;
  avgDataBytes: number;
  avgMetadataBytes: number;
}

const BASE_TIME = Date.parse('2026-01-05T01:00:00.000Z');

/**
 * A visit. `full`: every field of the domain's VisitRecordedSchema (about 420 bytes: four uuids),
 * as the households projection needs for --real-type. Otherwise the same minus the group id,
 * policy version, late flag and recorded-at (in the metadata anyway): about 300 bytes, the size
 * issue 2 asks for.
 */
function visit(full: boolean, worker: string, household: string, group: string, n: number, at: Date): Record<string, unknown> {
  const common = {
    visitId: randomUUID(),
    workerId: worker,
    householdId: household,
    date: at.toISOString().slice(0, 10),
    kind: KINDS[n % KINDS.length]!,
    findings: FINDINGS[n % FINDINGS.length]!,
    followUpActions: [...FOLLOW_UPS[n % FOLLOW_UPS.length]!],
    peopleServed: 1 + (n % 4),
  };
  if (!full) return common;
  return { ...common, groupId: group, late: n % 10 === 0, policyVersion: 1, recordedAt: at.toISOString() };
}

function meta(worker: string, at: Date): EventMetadata {
  const commandId = randomUUID();
  return {
    // The order the application's command handler writes metadata in (sorted keys).
    actorId: worker,
    actorRole: 'village_worker',
    causationId: null,
    commandId,
    correlationId: commandId,
    recordedAt: at.toISOString(),
    schemaVersion: 1,
  };
}

/** Builds every batch up front, so generation is not timed. */
export function buildWorkload(options: WorkloadOptions): Workload {
  const { writers, batch, streamEvents } = options;
  const perWriter: Batch[][] = [];
  let seq = 0;
  let streams = 0;
  let dataBytes = 0;
  let metadataBytes = 0;
  for (let w = 0; w < writers; w++) {
    // Each writer is one village worker, visiting the households of a few villager groups.
    const worker = randomUUID();
    const groups = Array.from({ length: 4 }, () => randomUUID());
    // Spread the remainder over the first writers.
    const mine = Math.floor(options.events / writers) + (w < options.events % writers ? 1 : 0);
    const streamCount = Math.max(1, Math.ceil(mine / streamEvents));
    const households = Array.from({ length: streamCount }, (_, i) => ({
      streamId: `household-visits-${randomUUID()}`,
      householdId: randomUUID(),
      group: groups[i % groups.length]!,
      remaining: Math.floor(mine / streamCount) + (i < mine % streamCount ? 1 : 0),
      version: 0,
    }));
    // Round-robin over the writer's households, one batch at a time (each stream then gets
    // several appends when streamEvents > batch).
    const list: Batch[] = [];
    for (let active = households.filter((h) => h.remaining > 0); active.length > 0; active = active.filter((h) => h.remaining > 0)) {
      for (const h of active) {
        const size = Math.min(batch, h.remaining);
        const events: NewEvent[] = [];
        for (let k = 0; k < size; k++) {
          const at = new Date(BASE_TIME + seq * 1000);
          const data = visit(options.fullPayload === true, worker, h.householdId, h.group, seq, at);
          const metadata = meta(worker, at);
          dataBytes += Buffer.byteLength(JSON.stringify(data));
          metadataBytes += Buffer.byteLength(JSON.stringify(metadata));
          events.push({ eventId: randomUUID(), type: options.type, data, metadata });
          seq++;
        }
        list.push({ writer: w, streamId: h.streamId, expected: h.version, events });
        h.version += size;
        h.remaining -= size;
      }
    }
    streams += households.length;
    perWriter.push(list);
  }
  return { perWriter, totalEvents: seq, streams, avgDataBytes: dataBytes / seq, avgMetadataBytes: metadataBytes / seq };
}

/** A row shaped like an es_events row, for the plain-INSERT baseline. */
export interface PlainRow {
  event_id: string;
  stream_id: string;
  version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
  /** The event MAC column (64 hex digits, as the store writes). */
  mac: string;
}

/**
 * The same rows as the store writes, for the baseline: same ids, stream ids, versions, JSON and
 * timestamps, and 64-character hex strings in the hash columns (computed here, untimed, not chained).
 */
export function plainRows(batch: Batch): PlainRow[] {
  return batch.events.map((e, i) => {
    const hash = createHash('sha256').update(e.eventId).digest('hex');
    return {
      event_id: e.eventId,
      stream_id: batch.streamId,
      version: batch.expected + i + 1,
      type: e.type,
      schema_version: e.metadata.schemaVersion,
      data: JSON.stringify(e.data),
      metadata: JSON.stringify(e.metadata),
      recorded_at: e.metadata.recordedAt,
      prev_hash: hash,
      hash,
      mac: hash,
    };
  });
}
