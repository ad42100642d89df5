import type { Decider, DomainEvent } from '../domain/shared/decider';
import type { EventDefinition } from '../domain/shared/event-schemas';
import type { CommandContext, HandleCommand } from './command-handler';

/**
 * One catalog entry per event type of the decider's union, no more and no fewer: an event the
 * decider can emit but the catalog forgets (or a misspelt key) is a compile error here, not a
 * 500 at the first append.
 */
export type CatalogOf<E extends DomainEvent> = { readonly [T in E['type']]: EventDefinition };

/**
 * A command as a service writes it: without `now`. The time of a command is the time of its
 * context (the clock read once at the edge), so the binding supplies it; a service cannot pass
 * a different one by hand.
 */
export type CommandInput<C> = C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'now'> } : never;

/** Everything that is the same for every command on one kind of stream, declared once. */
export interface Aggregate<C, E extends DomainEvent, S, Id> {
  readonly name: string;
  readonly streamId: (id: Id) => string;
  readonly decider: Decider<C, E, S>;
  readonly catalog: CatalogOf<E>;
}

export function defineAggregate<C, E extends DomainEvent, S, Id>(aggregate: Aggregate<C, E, S, Id>): Aggregate<C, E, S, Id> {
  return Object.freeze({ ...aggregate });
}

/** What varies per call besides the command: the client's If-Match, retries, snapshots, a check on the state. */
export type HandleOptions<S> = Pick<HandleCommand<unknown, DomainEvent, S>, 'ifMatch' | 'retryOnConflict' | 'snapshot' | 'known' | 'precondition'>;

export type CommandOrBuilder<C, S> = CommandInput<C> | ((state: S, version: number) => CommandInput<C>);

/** The handler's request for one command on one stream of an aggregate, `now` taken from the context. */
export function commandRequest<C, E extends DomainEvent, S, Id>(
  aggregate: Aggregate<C, E, S, Id>,
  id: Id,
  command: NoInfer<CommandOrBuilder<C, S>>,
  context: CommandContext,
  options: HandleOptions<S> = {},
): HandleCommand<C, E, S> {
  const now = context.now.toISOString();
  const stamp = (input: CommandInput<C>): C => ({ ...input, data: { ...input.data, now } }) as C;
  return {
    streamId: aggregate.streamId(id),
    decider: aggregate.decider,
    catalog: aggregate.catalog,
    context,
    command: typeof command === 'function' ? (state: S, version: number) => stamp(command(state, version)) : stamp(command),
    // Only the options given: `ifMatch: undefined` and no If-Match mean the same, but stay apart.
    ...(options.ifMatch !== undefined ? { ifMatch: options.ifMatch } : {}),
    ...(options.retryOnConflict !== undefined ? { retryOnConflict: options.retryOnConflict } : {}),
    ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
    ...(options.known !== undefined ? { known: options.known } : {}),
    ...(options.precondition !== undefined ? { precondition: options.precondition } : {}),
  };
}
