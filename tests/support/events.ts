import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../../src/application/event-store';

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actorId: 'user-1',
    actorRole: 'admin',
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: null,
    recordedAt: '2026-01-15T08:00:00.000Z',
    schemaVersion: 1,
    ...overrides,
  };
}

export function newEvent(type: string, data: Record<string, unknown> = {}, meta: Partial<EventMetadata> = {}): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: metadata(meta) };
}
