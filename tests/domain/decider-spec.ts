import { expect } from 'vitest';
import type { Decider, DomainEvent } from '../../src/domain/shared/decider';
import { fold } from '../../src/domain/shared/decider';
import type { EventCatalog } from '../../src/domain/shared/event-schemas';

/**
 * Given-when-then for deciders:
 *   given(decider, history).when(command).then(expectedEvents)
 *   given(decider, history).when(command).thenThrows('rule.id', { optional: 'details subset' })
 * With a catalog, every event (history and decided) must also pass its zod schema, as the
 * command handler will require when it appends them.
 */
export function given<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: readonly E[] = [], catalog?: EventCatalog) {
  const conform = (events: readonly E[]) => {
    if (!catalog) return;
    for (const event of events) {
      const definition = catalog[event.type];
      expect(definition, `event ${event.type} in catalog`).toBeDefined();
      definition!.schema.parse(event.data);
    }
  };
  conform(history);
  return {
    when(command: C) {
      const decide = () => decider.decide(command, fold(decider, history));
      return {
        then(expected: E[]) {
          const actual = decide();
          expect(actual).toEqual(expected);
          conform(actual);
          // Folding must accept what was decided.
          fold(decider, [...history, ...actual]);
        },
        thenThrows(rule: string, details?: Record<string, unknown>) {
          expect(decide).toThrow(expect.objectContaining({ rule, ...(details ? { details: expect.objectContaining(details) } : {}) }));
        },
      };
    },
  };
}

/** A valid (version 4 layout) uuid numbered n, readable in failures. */
export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

export const NOW = '2026-03-01T08:00:00.000Z';
