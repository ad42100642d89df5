import { describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession, sessionFromToken } from './session';

const jwt = (claims: object) => `h.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.s`;

describe('the session', () => {
  it('reads role and subject from a pasted token and refuses one with no known role', () => {
    expect(sessionFromToken(` ${jwt({ sub: 'w-1', role: 'village_worker' })} `)).toMatchObject({ role: 'village_worker', sub: 'w-1' });
    expect(sessionFromToken(jwt({ sub: 'w-1', role: 'root' }))).toBeNull();
    expect(sessionFromToken('not a token')).toBeNull();
  });

  it('is kept in sessionStorage only, never localStorage', () => {
    saveSession({ token: 't', role: 'auditor', sub: 'a', displayName: 'a', area: null });
    expect(sessionStorage.getItem('console-session')).toContain('"auditor"');
    expect(localStorage.length).toBe(0);
    clearSession();
    expect(loadSession()).toBeNull();
  });
});
