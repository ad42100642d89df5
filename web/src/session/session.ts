/**
 * Who is signed in: the bearer token with the role and area it stands for. Held in memory and in
 * sessionStorage (gone when the tab closes), never in localStorage: the token opens personal data.
 */
export type Role = 'admin' | 'county_worker' | 'town_worker' | 'village_worker' | 'auditor' | 'evaluator' | 'civil_affairs_officer' | 'town_official';

export interface Area {
  level: 'county' | 'town' | 'village';
  townId: string | null;
  villageId: string | null;
  label: string;
}

export interface Session {
  token: string;
  role: Role;
  /** The token's subject: a worker's or official's id, or a user name. */
  sub: string;
  /** Name to greet with (the demo user's, or the subject). */
  displayName: string;
  area: Area | null;
  /** The county's day when signing in (the demo county's clock is not the wall clock). */
  countyDay?: string;
  /** Signed in through the OIDC provider: where signing out also ends the provider's session. */
  logoutUrl?: string;
}

const KEY = 'console-session';
let current: Session | null = null;

export function loadSession(storage: Storage = sessionStorage): Session | null {
  if (current) return current;
  const stored = storage.getItem(KEY);
  if (!stored) return null;
  try {
    current = JSON.parse(stored) as Session;
    return current;
  } catch {
    storage.removeItem(KEY);
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  current = session;
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage): void {
  current = null;
  storage.removeItem(KEY);
}

const ROLES: readonly Role[] = ['admin', 'county_worker', 'town_worker', 'village_worker', 'auditor', 'evaluator', 'civil_affairs_officer', 'town_official'];

/**
 * A pasted token's claims, read without verifying it: the service verifies every request, this
 * only decides which menu to show. Null when it is not a JWT with a known role.
 */
export function sessionFromToken(token: string): Session | null {
  const payload = token.trim().split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(decodeURIComponent(escape(json))) as { sub?: unknown; role?: unknown };
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role)) return null;
    return { token: token.trim(), role: claims.role as Role, sub: claims.sub, displayName: claims.sub, area: null };
  } catch {
    return null;
  }
}
