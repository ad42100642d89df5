import type { Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { Projection } from '../projection';
import { applyFindingEvent } from './findings.apply';
import { applyImportEvent } from './imports.apply';

const IMPORT_EVENTS = ['DetectionPolicyVersionAdded', 'DataImportStarted', 'DataImportChunkRecorded', 'DataImportCompleted'];
const FINDING_EVENTS = ['FindingRaised', 'FindingEscalated', 'TaskOutcomeRecorded', 'FindingPlaced'];

/**
 * Inline: an import reads the observations its earlier chunks recorded (the 12-month cost sum
 * spans chunks and batches), the batch-id unique index must refuse a reused id inside the
 * append, and a worker's outcome shows in the task list at once.
 */
export const detectionProjection: Projection = {
  name: 'detection',
  mode: 'inline',
  handles: [...IMPORT_EVENTS, ...FINDING_EVENTS],
  tables: ['rm_detection_policies', 'rm_detection_imports', 'rm_detection_rejections', 'rm_detection_observations', 'rm_detection_findings'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const e of events) {
      if (FINDING_EVENTS.includes(e.type)) await applyFindingEvent(trx, e as never);
      else await applyImportEvent(trx, e as never);
    }
  },
};
