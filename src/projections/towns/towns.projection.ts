import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { TownRegistered } from '../../domain/geography/town.events';
import type { Projection } from '../projection';

export interface TownRow {
  id: string;
  code: string;
  name: string;
  status: string;
  version: number;
  registered_at: string;
  updated_at: string;
}

/**
 * Towns, inline so that a client can list the town it just registered.
 * Every write is guarded by the stream version: applying an event twice changes nothing.
 */
export const townsProjection: Projection = {
  name: 'towns',
  mode: 'inline',
  handles: ['TownRegistered'],
  tables: ['rm_towns'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const event of events) {
      switch (event.type) {
        case 'TownRegistered': {
          const data = event.data as TownRegistered['data'];
          await sql`
            insert into rm_towns (id, code, name, status, version, registered_at, updated_at)
            values (${data.townId}, ${data.code}, ${data.name}, 'active', ${event.version}, ${data.registeredAt}, ${event.recordedAt})
            on conflict (id) do update set code = excluded.code, name = excluded.name, status = excluded.status,
              version = excluded.version, updated_at = excluded.updated_at
            where rm_towns.version < excluded.version`.execute(trx);
          break;
        }
      }
    }
  },
};
