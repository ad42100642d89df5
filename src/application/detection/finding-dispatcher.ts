import type { FindingCommand } from '../../domain/detection/finding.decide';
import type { CommandHandler } from '../command-handler';
import { findings } from './detection.aggregates';
import { deterministicUuid } from '../ids';
import type { Detection } from './detections';
import type { ChunkContext } from './import-chunk';

type Subject = Extract<FindingCommand, { type: 'Detect' }>['data']['subject'];

/**
 * Sends one detection to the person-and-cause stream, whose decider raises, escalates or
 * ignores it. The command id derives from import, row and cause, so a resumed import repeats
 * it harmlessly; a concurrent outcome on the same stream makes it re-decide on fresh state.
 */
export class FindingDispatcher {
  constructor(private readonly commands: CommandHandler) {}

  async detect(ctx: ChunkContext, row: number, subject: Subject, detection: Detection): Promise<'raised' | 'escalated' | 'unchanged'> {
    const commandId = deterministicUuid(`data-import:${ctx.importId}:row:${row}:${detection.cause}`);
    const result = await this.commands.handle(
      findings,
      { cause: detection.cause, personId: subject.personId },
      {
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
      },
      { ...ctx.context, commandId, causationId: ctx.importId },
      { retryOnConflict: true },
    );
    const type = result.events[0]?.type;
    return type === 'FindingRaised' ? 'raised' : type === 'FindingEscalated' ? 'escalated' : 'unchanged';
  }
}
