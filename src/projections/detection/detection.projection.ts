import type { DataImportEvent } from '../../domain/detection/data-import.events';
import type { DetectionPolicyEvent } from '../../domain/detection/detection-policy.events';
import type { FindingEvent } from '../../domain/detection/finding.events';
import { typedProjection } from '../typed-projection';
import { findingHandlers, findingRows } from './findings.apply';
import { importHandlers } from './imports.apply';

/**
 * Inline: an import reads the observations its earlier chunks recorded (the 12-month cost sum
 * spans chunks and batches), the batch-id unique index must refuse a reused id inside the
 * append, and a worker's outcome shows in the task list at once.
 */
export const detectionProjection = typedProjection<DataImportEvent | DetectionPolicyEvent | FindingEvent>({
  name: 'detection',
  mode: 'inline',
  tables: ['rm_detection_policies', 'rm_detection_imports', 'rm_detection_rejections', 'rm_detection_observations', 'rm_detection_findings'],
  handlers: { ...importHandlers, ...findingHandlers },
  // Only raised findings ride in the append statement; imports, policies and updates take the transaction.
  rowsFor: findingRows,
});
