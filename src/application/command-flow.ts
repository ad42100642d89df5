import type { DomainEvent } from '../domain/shared/decider';
import type { Aggregate, CommandInput, HandleOptions } from './aggregate';
import { authorize, type Permission } from './permissions/permissions';
import type { CommandContext, CommandHandler } from './command-handler';
import { NotFoundError } from './errors';

type Reader = Pick<CommandContext, 'actor' | 'now'>;

export interface CommandFlowSpec<C, E extends DomainEvent, S, Id, L> {
  aggregate: Aggregate<C, E, S, Id>;
  /** Who may run commands on it (checked before anything is read). */
  write: Permission<unknown>;
  /** The thing as stored, null when there is none: a command on a missing thing is a 404, before any event. */
  load: (id: Id, reader: Reader) => Promise<L | null>;
}

export type ChangeCommand<C, L> = CommandInput<C> | ((current: L) => CommandInput<C> | Promise<CommandInput<C>>);
export type ChangeOptions<S> = HandleOptions<S> & {
  /** What the write policy is asked about; the id by default. */
  resource?: unknown;
};

/**
 * The path every command on one kind of thing takes, written once: authorize → load (404) →
 * handle → the thing read again (a service masks or shapes it for its caller). Services keep
 * only what differs: the command and what it needs to look up.
 */
export class CommandFlow<C, E extends DomainEvent, S, Id, L> {
  constructor(
    private readonly commands: CommandHandler,
    private readonly spec: CommandFlowSpec<C, E, S, Id, L>,
  ) {}

  /** A command on a thing that exists; `command` may be built from the thing as loaded. */
  async change(context: CommandContext, id: Id, what: string, command: ChangeCommand<C, L>, options: ChangeOptions<S> = {}): Promise<L> {
    const { resource, ...handleOptions } = options;
    await this.authorize(context, what, resource === undefined ? id : resource);
    const current = await this.load(id, context);
    const input = typeof command === 'function' ? await command(current) : command;
    await this.commands.handle(this.spec.aggregate, id, input, context, handleOptions);
    return this.load(id, context);
  }

  /** A command that brings a thing into being: `prepare` looks up what it needs (after the check) and names the id. */
  async create(
    context: CommandContext,
    what: string,
    resource: unknown,
    prepare: () => Promise<{ id: Id; command: CommandInput<C> }>,
    options: HandleOptions<S> = {},
  ): Promise<L> {
    await this.authorize(context, what, resource);
    const { id, command } = await prepare();
    await this.commands.handle(this.spec.aggregate, id, command, context, options);
    return this.load(id, context);
  }

  async load(id: Id, reader: Reader): Promise<L> {
    const found = await this.spec.load(id, reader);
    if (found === null) throw new NotFoundError(this.spec.aggregate.name, String(id));
    return found;
  }

  private authorize(context: CommandContext, what: string, resource: unknown): Promise<void> {
    return authorize(context.actor, this.spec.write, resource, what);
  }
}

export function commandFlow<C, E extends DomainEvent, S, Id, L>(commands: CommandHandler, spec: CommandFlowSpec<C, E, S, Id, L>): CommandFlow<C, E, S, Id, L> {
  return new CommandFlow(commands, spec);
}
