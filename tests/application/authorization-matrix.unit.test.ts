import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/application/actor';
import { assistancePermissions } from '../../src/application/permissions/assistance.permissions';

/**
 * Who may do what in an assistance case, role by role (jurisdiction is checked on top, in the
 * services; who confirms which program and amount is the case-procedure policy, in the decider).
 * The law: social workers prepare, investigate, check and submit; the bureau (县民政局) or, where
 * delegated, the town government (乡镇人民政府) confirms; auditors and evaluators never write.
 */
const MATRIX: Record<keyof typeof assistancePermissions, Role[]> = {
  setPolicy: ['admin'],
  apply: ['admin', 'county_worker', 'town_worker', 'village_worker'],
  accept: ['admin', 'town_official', 'county_worker', 'town_worker'],
  investigate: ['admin', 'county_worker', 'town_worker', 'village_worker'],
  notice: ['admin', 'town_official', 'county_worker', 'town_worker'],
  submit: ['admin', 'town_worker'],
  check: ['admin', 'county_worker'],
  decide: ['admin', 'civil_affairs_officer', 'town_official'],
  pay: ['admin', 'civil_affairs_officer', 'town_official'],
  read: [...ROLES],
  replay: ['auditor', 'admin'],
};

describe('the assistance authorization matrix', () => {
  const cells = (Object.keys(MATRIX) as (keyof typeof MATRIX)[]).flatMap((action) =>
    ROLES.map((role) => [action, role, MATRIX[action].includes(role)] as const),
  );
  it.each(cells)('%s by %s → %s', async (action, role, allowed) => {
    expect(await assistancePermissions[action]({ id: 'x', role }, undefined as never)).toBe(allowed);
  });
  it('never lets a contracted social worker confirm or pay', async () => {
    for (const role of ['county_worker', 'town_worker', 'village_worker'] as const) {
      expect(await assistancePermissions.decide({ id: 'x', role }, undefined as never)).toBe(false);
      expect(await assistancePermissions.pay({ id: 'x', role }, undefined as never)).toBe(false);
    }
  });
});
