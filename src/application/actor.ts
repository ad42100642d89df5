import type { ActorRole } from './event-store';

export type Role = Exclude<ActorRole, 'system'>;
export const ROLES = [
  'admin',
  'county_worker',
  'town_worker',
  'village_worker',
  'auditor',
  'evaluator',
  'civil_affairs_officer',
  'town_official',
] as const satisfies readonly Role[];

/** Who is calling: the token's subject (a user or worker id) and role. */
export interface Actor {
  id: string;
  role: ActorRole;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };
