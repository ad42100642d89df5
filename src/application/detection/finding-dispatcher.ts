import type { FindingCommand } from '../../domain/detection/finding.decide';
import type { CommandHandler } from '../command-handler';
import type { CommandInput } from '../aggregate';
import { findings } from './detection.aggregates';
import { deterministicUuid } from '../ids';
import type { Detection } from './detections';
import type { ChunkContext } from './import-chunk';

type Subject = Extract<FindingCommand, { type: 'Detect' }>['data']['subject'];
export type DetectionOutcome = 'raised' | 'escalated' | 'unchanged';

/** One detection of a chunk: the row it came from, who, and what. */
export interface RowDetection {
  row: number;
  subject: Subject;
  detection: Detection;
}

/**
 * Streams appended at once while a chunk's findings are written: on PostgreSQL they overlap on
 * the pool's connections; on PGlite they queue on its one connection and cost nothing extra.
 */
const FINDING_APPENDS_AT_ONCE = 4;

/**
 * Sends detections to their person-and-cause streams, whose decider raises, escalates or
 * ignores each. The command id derives from import, row and cause, so a resumed import repeats
 * it harmlessly; a concurrent outcome on the same stream makes it re-decide on fresh state.
 */
export class FindingDispatcher {
  constructor(private readonly commands: CommandHandler) {}

  /**
   * A chunk's detections in row order: the streams they name read in one query and each
   * stream's new events appended at once (CommandHandler.handleBatch), instead of a read and an
   * append per detection. The events are those one command at a time would append.
   */
  async detectAll(ctx: ChunkContext, detections: readonly RowDetection[]): Promise<DetectionOutcome[]> {
    if (detections.length === 0) return [];
    const results = await this.commands.handleBatch(
      findings,
      detections.map(({ row, subject, detection }) => {
        const commandId = deterministicUuid(`data-import:${ctx.importId}:row:${row}:${detection.cause}`);
        return {
          id: { cause: detection.cause, personId: subject.personId },
          command: detectCommand(ctx, commandId, row, subject, detection),
          context: { ...ctx.context, commandId, causationId: ctx.importId },
        };
      }),
      { retryOnConflict: true, concurrency: FINDING_APPENDS_AT_ONCE },
    );
    return results.map((result) => {
      const type = result.events[0]?.type;
      return type === 'FindingRaised' ? 'raised' : type === 'FindingEscalated' ? 'escalated' : 'unchanged';
    });
  }
}

function detectCommand(ctx: ChunkContext, commandId: string, row: number, subject: Subject, detection: Detection): CommandInput<FindingCommand> {
  return {
    type: 'Detect',
    data: {
      findingId: deterministicUuid(`${commandId}:finding`),
      taskId: deterministicUuid(`${commandId}:task`),
      cause: detection.cause,
      severity: detection.severity,
      indicatedCauses: detection.indicatedCauses,
      reasons: detection.reasons,
      subject,
      origin: { importId: ctx.importId, source: ctx.source, row },
      windowDays: detection.windowDays,
      deadlineDays: ctx.policy.deadlineDays,
      policyVersion: ctx.policy.version,
      today: ctx.today,
    },
  };
}
