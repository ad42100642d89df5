import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { DomainEvent } from '../domain/shared/decider';
import type { Aggregate, CommandInput } from './aggregate';
import { authorize, type Permission } from './permissions/permissions';
import type { CommandContext, CommandHandler } from './command-handler';

export interface PolicyVersionStreamSpec<P extends { version: number }, C, E extends DomainEvent> {
  /** The county's one stream of versions (schedule, scoring, detection, case procedure). */
  aggregate: Aggregate<C, E, { versions: P[] }, null>;
  /** The command that adds a version. */
  add: (policy: Omit<P, 'version'>) => CommandInput<C>;
  write: Permission<unknown>;
  /** For the refusal: "set detection policies". */
  what: string;
  /** The file that becomes version 1 on first start. */
  defaultFile: URL | string;
  schema: z.ZodType<P>;
  versions: () => Promise<readonly P[]>;
}

/** Adding a policy version, and seeding the default one, written once for every versioned policy. */
export class PolicyVersionStream<P extends { version: number }, C, E extends DomainEvent> {
  constructor(
    private readonly commands: CommandHandler,
    private readonly spec: PolicyVersionStreamSpec<P, C, E>,
  ) {}

  async add(context: CommandContext, policy: Omit<P, 'version'>): Promise<P> {
    await authorize(context.actor, this.spec.write, policy, this.spec.what);
    const result = await this.commands.handle(this.spec.aggregate, null, this.spec.add(policy), context);
    return result.state.versions.at(-1)!;
  }

  /** On first start the default file becomes version 1, as an event like any other. */
  async seedDefault(context: CommandContext): Promise<void> {
    if ((await this.spec.versions()).length > 0) return;
    const { version: _v, ...policy } = this.spec.schema.parse(JSON.parse(readFileSync(this.spec.defaultFile, 'utf8')));
    // Two instances starting together: the loser re-reads, finds the seed, and is done.
    await this.commands.handle(this.spec.aggregate, null, this.spec.add(policy), context, { retryOnConflict: true });
  }
}
