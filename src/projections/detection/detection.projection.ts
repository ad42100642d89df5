import type { DataImportEvent } from '../../domain/detection/data-import.events';
import type { DetectionPolicyEvent } from '../../domain/detection/detection-policy.events';
import type { FindingEvent } from '../../domain/detection/finding.events';
import type { RecordedEvent } from '../../application/event-store';
import type { Db } from '../../storage/database';
import { typedProjection, type Recorded, type TypedProjection } from '../typed-projection';
import { applyEscalations } from './escalations.apply';
import { findingHandlers, findingRows } from './findings.apply';
import { importHandlers } from './imports.apply';

/**
 * Inline: an import reads the observations its earlier chunks recorded (the 12-month cost sum
 * spans chunks and batches), the batch-id unique index must refuse a reused id inside the
 * append, and a worker's outcome shows in the task list at once.
 */
const oneByOne = typedProjection<DataImportEvent | DetectionPolicyEvent | FindingEvent>({
  name: 'detection',
  mode: 'inline',
  tables: ['rm_detection_policies', 'rm_detection_imports', 'rm_detection_rejections', 'rm_detection_observations', 'rm_detection_findings'],
  handlers: { ...importHandlers, ...findingHandlers },
  // Who started an import (imported_by) is its metadata's actor.
  readsMetadataOf: ['DataImportStarted'],
  // Only raised findings ride in the append statement; imports, policies and updates take the transaction.
  rowsFor: findingRows,
});

type Escalated = Recorded<Extract<FindingEvent, { type: 'FindingEscalated' }>>;
const isEscalation = (e: RecordedEvent): e is RecordedEvent & Escalated => e.type === 'FindingEscalated';

/**
 * Events one by one, except a run of escalations of distinct findings (an import chunk's,
 * appended at once), which is one update; a second escalation of one finding starts a new run.
 */
async function apply(trx: Db, events: readonly RecordedEvent[]): Promise<void> {
  let run: Escalated[] = [];
  const flush = async () => {
    if (run.length > 1) await applyEscalations(trx, run);
    else if (run.length === 1) await oneByOne.apply(trx, run);
    run = [];
  };
  for (const event of events) {
    if (!isEscalation(event)) {
      await flush();
      await oneByOne.apply(trx, [event]);
      continue;
    }
    if (run.some((e) => e.data.findingId === event.data.findingId)) await flush();
    run.push(event);
  }
  await flush();
}

export const detectionProjection: TypedProjection<DataImportEvent | DetectionPolicyEvent | FindingEvent> = { ...oneByOne, apply };
