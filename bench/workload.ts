import { createHash, randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../src/application/event-store';

/**
 * The benchmark's workload: VisitRecorded-like events (a village social worker's household
 * visit, 走访), about 300 bytes of JSON data each with Chinese text, grouped into one stream
 * per household. Each writer owns its own households, so writers never contend on a stream.
 */

export const EVENT_TYPE = 'VisitRecorded';

const KINDS = ['routine', 'review', 'emergency', 'care', 'alert_follow_up'] as const;

const FINDINGS = [
  '老人独居，腿脚不便，近期血压偏高，需每周上门查看。',
  '家庭收入减少，孩子上学费用困难，建议申请临时救助。',
  '低保户动态复核：家庭成员无变化，收入情况稳定。',
  '房屋漏雨，已联系村委会协调维修，下月再次走访。',
  '患者出院后康复情况良好，药费负担较重，需跟进医保。',
] as const;

const FOLLOW_UPS = [
  ['联系村委会核实情况', '一周内电话回访'],
  ['提交临时救助申请', '通知镇社工站'],
  ['更新家庭档案'],
  ['协调志愿者上门服务', '下月复访'],
] as const;

const TOWNS = ['530626100', '530626101', '530626102', '530626103', '530626104'] as const;

export interface Batch {
  writer: number;
  streamId: string;
  /** Version the stream is at before this append: 0 means it does not exist yet. */
  expected: number;
  events: NewEvent[];
}

export interface WorkloadOptions {
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

function visit(writer: number, household: string, group: string, n: number, at: Date): Record<string, unknown> {
  return {
    visitId: randomUUID(),
    householdId: household,
    villagerGroupId: group,
    workerId: `worker-${String(writer).padStart(3, '0')}`,
    visitedAt: at.toISOString(),
    kind: KINDS[n % KINDS.length]!,
    findings: FINDINGS[n % FINDINGS.length]!,
    followUps: [...FOLLOW_UPS[n % FOLLOW_UPS.length]!],
  };
}

function meta(writer: number, at: Date): EventMetadata {
  const commandId = randomUUID();
  return {
    actorId: `worker-${String(writer).padStart(3, '0')}`,
    actorRole: 'village_worker',
    commandId,
    correlationId: commandId,
    causationId: null,
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
    // Spread the remainder over the first writers.
    const mine = Math.floor(options.events / writers) + (w < options.events % writers ? 1 : 0);
    const streamCount = Math.max(1, Math.ceil(mine / streamEvents));
    const households = Array.from({ length: streamCount }, (_, i) => ({
      streamId: `household-${randomUUID()}`,
      householdId: `hh-${w}-${i}`,
      group: `${TOWNS[(w + i) % TOWNS.length]}-${String(i % 43).padStart(3, '0')}-${String(i % 7).padStart(2, '0')}`,
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
          const data = visit(w, h.householdId, h.group, seq, at);
          const metadata = meta(w, at);
          dataBytes += Buffer.byteLength(JSON.stringify(data));
          metadataBytes += Buffer.byteLength(JSON.stringify(metadata));
          events.push({ eventId: randomUUID(), type: EVENT_TYPE, data, metadata });
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
    };
  });
}
