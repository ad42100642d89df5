import type { FastifyRequest } from 'fastify';
import type { Clock } from '../application/clock';
import type { CommandContext } from '../application/command-handler';

/** Who, which request and when: the metadata every event of this request carries. */
export function commandContext(request: FastifyRequest, clock: Clock): CommandContext {
  return {
    actor: request.actor,
    commandId: request.commandId,
    correlationId: request.correlationId,
    causationId: null,
    now: clock.now(),
  };
}
