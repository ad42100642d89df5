import { describe, it } from 'vitest';
import type { VisitEvent } from '../../src/domain/visits/visit';
import { visitsProjection } from '../../src/projections/visits/visits.projection';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(visitsProjection);
const AT = '2026-01-10T08:00:00.000Z';
const [householdId, groupId, visitId, workerId] = [1, 2, 7, 8].map((n) => `00000000-0000-4000-8000-00000000a0${n}0`) as [string, string, string, string];

describe('visits projection', () => {
  it('lists a visit once, with its follow-up actions', async () => {
    const visit: VisitEvent = {
      type: 'VisitRecorded',
      data: {
        visitId,
        workerId,
        householdId,
        groupId,
        date: '2026-01-09',
        kind: 'routine',
        findings: '生活正常',
        followUpActions: ['联系村医'],
        peopleServed: 2,
        late: false,
        policyVersion: 1,
        recordedAt: AT,
      },
    };
    await spec
      .given([visit])
      .expectRows(
        (db) => db.selectFrom('rm_visits').select(['id', 'visit_date', 'follow_up_actions', 'late']).execute(),
        [{ id: visitId, visit_date: '2026-01-09', follow_up_actions: ['联系村医'], late: false }],
      );
  });
});
