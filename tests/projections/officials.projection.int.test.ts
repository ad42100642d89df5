import { describe, expect, it } from 'vitest';
import { listOfficials, officialsProjection } from '../../src/projections/assistance/officials.projection';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(officialsProjection);
const AT = '2026-01-10T08:00:00.000Z';
const officer = '00000000-0000-4000-8000-0000000000a1';
const townOfficial = '00000000-0000-4000-8000-0000000000a2';
const townId = '00000000-0000-4000-8000-000000000001';

describe('officials projection', () => {
  it('lists appointments by role and name, with the end of an ended one', async () => {
    await spec
      .given([
        { type: 'OfficialAppointed', data: { officialId: townOfficial, name: '李乡长', role: 'town_official', townId, from: '2026-01-01', appointedAt: AT } },
        {
          type: 'OfficialAppointed',
          data: { officialId: officer, name: '王科长', role: 'civil_affairs_officer', townId: null, from: '2025-07-01', appointedAt: AT },
        },
        { type: 'OfficialAppointmentEnded', data: { officialId: townOfficial, to: '2026-06-30', endedAt: AT } },
      ])
      .expectRows(listOfficials, [
        { id: officer, name: '王科长', role: 'civil_affairs_officer', townId: null, from: '2025-07-01', to: null },
        { id: townOfficial, name: '李乡长', role: 'town_official', townId, from: '2026-01-01', to: '2026-06-30' },
      ]);
  });

  it('keeps an appointment open when its end arrives with an older version', async () => {
    const rows = await spec
      .given([
        {
          type: 'OfficialAppointed',
          version: 5,
          data: { officialId: officer, name: '王科长', role: 'civil_affairs_officer', townId: null, from: '2025-07-01', appointedAt: AT },
        },
        { type: 'OfficialAppointmentEnded', version: 4, data: { officialId: officer, to: '2026-06-30', endedAt: AT } },
      ])
      .expectRows(listOfficials, [{ id: officer, to: null }]);
    expect(rows).toHaveLength(1);
  });
});
