import type { z } from 'zod';

/**
 * Each event type has a zod schema and a current schema version. Events are validated against
 * it when written, and older stored versions are brought forward by upcasters when read.
 */
export interface EventDefinition<Schema extends z.ZodType = z.ZodType> {
  schema: Schema;
  version: number;
}

export type EventCatalog = Record<string, EventDefinition>;
