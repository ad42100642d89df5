import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandRequest, defineAggregate, type CommandInput } from '../../src/application/aggregate';
import type { CommandContext } from '../../src/application/command-handler';
import type { Decider } from '../../src/domain/shared/decider';

// A tally whose commands carry the time, as every decider's do.
type Added = { type: 'Added'; data: { by: number; at: string } };
type Cleared = { type: 'Cleared'; data: { at: string } };
type TallyEvent = Added | Cleared;
type TallyCommand = { type: 'Add'; data: { by: number; now: string } } | { type: 'Clear'; data: { now: string } };
const decider: Decider<TallyCommand, TallyEvent, number> = {
  initialState: () => 0,
  evolve: (state, event) => (event.type === 'Added' ? state + event.data.by : 0),
  decide: (command) =>
    command.type === 'Add' ? [{ type: 'Added', data: { by: command.data.by, at: command.data.now } }] : [{ type: 'Cleared', data: { at: command.data.now } }],
};
const catalog = {
  Added: { schema: z.object({ by: z.number(), at: z.string() }), version: 1 },
  Cleared: { schema: z.object({ at: z.string() }), version: 1 },
};
const tallies = defineAggregate({ name: 'tally', streamId: (id: string) => `tally-${id}`, decider, catalog });

const context: CommandContext = { actor: { id: 'w1', role: 'admin' }, commandId: 'c-1', correlationId: 'r-1', now: new Date('2026-03-04T05:06:07.000Z') };

describe('an aggregate declared once', () => {
  it('names the stream, decider and catalog for every command on it', () => {
    const request = commandRequest(tallies, '7', { type: 'Clear', data: {} }, context);
    expect(request.streamId).toBe('tally-7');
    expect(request.decider).toBe(decider);
    expect(request.catalog).toBe(catalog);
    expect(request.context).toBe(context);
  });

  it('stamps the command with the time of its context, so no service writes it', () => {
    const request = commandRequest(tallies, '7', { type: 'Add', data: { by: 2 } }, context);
    expect(request.command).toEqual({ type: 'Add', data: { by: 2, now: '2026-03-04T05:06:07.000Z' } });
  });

  it('stamps a command built from the loaded state the same way', () => {
    const request = commandRequest(tallies, '7', (state) => ({ type: 'Add', data: { by: state + 1 } }), context);
    expect(typeof request.command).toBe('function');
    const built = (request.command as (state: number, version: number) => TallyCommand)(4, 1);
    expect(built).toEqual({ type: 'Add', data: { by: 5, now: '2026-03-04T05:06:07.000Z' } });
  });

  it('passes on only the options given (no If-Match stays no If-Match)', () => {
    expect(commandRequest(tallies, '7', { type: 'Clear', data: {} }, context, { ifMatch: undefined })).not.toHaveProperty('ifMatch');
    expect(commandRequest(tallies, '7', { type: 'Clear', data: {} }, context, { ifMatch: 3, retryOnConflict: false })).toMatchObject({
      ifMatch: 3,
      retryOnConflict: false,
    });
  });

  it('refuses at compile time a hand-written time and a catalog that misses an event', () => {
    // @ts-expect-error: `now` comes from the context, never from the service.
    const withNow: CommandInput<TallyCommand> = { type: 'Add', data: { by: 1, now: '2026-01-01T00:00:00.000Z' } };
    // @ts-expect-error: `Cleared` has no schema, so it could never be appended.
    const incomplete = defineAggregate({ name: 'tally', streamId: (id: string) => id, decider, catalog: { Added: catalog.Added } });
    expect([withNow, incomplete]).toHaveLength(2);
  });
});
