import { api } from '../api/client';
import { unwrap } from '../api/problem';
import type { components } from '../api/schema';

export type SignedIn = components['schemas']['SignedIn'];

/**
 * Asks the service whom a token signs in as (GET /api/v1/auth/session) before the console shows
 * a menu for it: a token the service refuses (wrong issuer, audience, key, no role, expired)
 * throws the service's problem+json as an ApiProblem, to be shown as the service worded it.
 */
export async function verifyToken(token: string): Promise<SignedIn> {
  return unwrap(await api.GET('/api/v1/auth/session', { headers: { Authorization: `Bearer ${token}` } }));
}
