import { describe, expect, it } from 'vitest';
import type { FindingEvent } from '../../src/domain/detection/finding.events';
import { detectionProjection } from '../../src/projections/detection/detection.projection';
import type { Db } from '../../src/storage/database';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(detectionProjection);
const AT = '2026-01-10T08:00:00.000Z';
const [findingId, taskId, personId, importId, laterImport, groupId, applicationId] = [1, 2, 3, 4, 5, 6, 7].map(
  (n) => `00000000-0000-4000-8000-00000000b0${n}0`,
) as [string, string, string, string, string, string, string];

const raised: FindingEvent = {
  type: 'FindingRaised',
  data: {
    findingId,
    taskId,
    cause: 'illness',
    severity: 'medium',
    indicatedCauses: ['illness'],
    reasons: ['12个月自付医疗费用超过2万元'],
    subject: { personId, idNumber: '110101197001011234', name: '赵某', matched: false, householdId: null, groupId: null },
    origin: { importId, source: 'medical_insurance', row: 7 },
    raisedOn: '2026-01-10',
    deadline: '2026-01-20',
    policyVersion: 1,
    raisedAt: AT,
  },
};
const escalated = (reopened: boolean): FindingEvent => ({
  type: 'FindingEscalated',
  data: {
    findingId,
    from: 'medium',
    to: 'high',
    indicatedCauses: ['illness', 'disability'],
    reasons: ['12个月自付医疗费用超过5万元'],
    origin: { importId: laterImport, source: 'medical_insurance', row: 3 },
    deadline: '2026-01-15',
    reopened,
    escalatedOn: '2026-01-12',
    escalatedAt: AT,
  },
});
const findings = (db: Db) =>
  db
    .selectFrom('rm_detection_findings')
    .select(['id', 'status', 'severity', 'deadline', 'indicated_causes', 'reasons', 'escalations', 'reopened', 'outcome', 'group_id', 'version'])
    .execute();

describe('detection projection', () => {
  it('raises a finding with its task, and escalates it once (the union of causes, every reason)', async () => {
    await spec.given([raised, escalated(false)]).expectRows(findings, [
      {
        id: findingId,
        status: 'open',
        severity: 'high',
        deadline: '2026-01-15',
        indicated_causes: ['disability', 'illness'],
        reasons: ['12个月自付医疗费用超过2万元', '12个月自付医疗费用超过5万元'],
        escalations: 1,
        reopened: 0,
        version: '2',
      },
    ]);
  });

  it('closes the task with its outcome, and a reopening escalation drops the outcome', async () => {
    const closed: FindingEvent[] = [
      raised,
      { type: 'FindingPlaced', data: { findingId, groupId, placedAt: AT } },
      {
        type: 'TaskOutcomeRecorded',
        data: { findingId, taskId, outcome: { kind: 'visited_enrolled', applicationId }, on: '2026-01-11', recordedBy: 'worker-1', recordedAt: AT },
      },
    ];
    await spec.given(closed).expectRows(findings, [{ status: 'closed', outcome: 'visited_enrolled', group_id: groupId, version: '3' }]);
    await spec.given([...closed, escalated(true)]).expectRows(findings, [{ status: 'open', outcome: null, reopened: 1, escalations: 1, version: '4' }]);
  });

  it('applies a run of escalations of several findings at once as each would one by one', async () => {
    const other = '00000000-0000-4000-8000-00000000b0a0';
    const otherTask = '00000000-0000-4000-8000-00000000b0b0';
    const raisedOther = { ...raised, data: { ...raised.data, findingId: other, taskId: otherTask, indicatedCauses: ['disability'] } } as FindingEvent;
    const closed: FindingEvent = {
      type: 'TaskOutcomeRecorded',
      data: { findingId, taskId, outcome: { kind: 'visited_enrolled', applicationId }, on: '2026-01-11', recordedBy: 'worker-1', recordedAt: AT },
    };
    const escalatedOther = { ...escalated(false), data: { ...escalated(false).data, findingId: other, indicatedCauses: ['illness'] } } as FindingEvent;
    const base = escalated(false);
    const again: FindingEvent = base.type === 'FindingEscalated' ? { ...base, data: { ...base.data, from: 'high', to: 'high', reasons: ['再次'] } } : base;
    // Versions per finding's stream, as an import chunk's batch hands them over: each finding's events in order.
    const batch = [
      { ...raised, streamId: 'f-1', version: 1 },
      { ...closed, streamId: 'f-1', version: 2 },
      { ...raisedOther, streamId: 'f-2', version: 1 },
      { ...escalated(true), streamId: 'f-1', version: 3 },
      { ...escalatedOther, streamId: 'f-2', version: 2 },
      { ...again, streamId: 'f-1', version: 4 },
    ];
    const sorted = (db: Db) => findings(db).then((rows) => rows.sort((a, b) => (a.id < b.id ? -1 : 1)));
    const expected = [
      { id: findingId, status: 'open', severity: 'high', outcome: null, reopened: 1, escalations: 2, version: '4' },
      { id: other, status: 'open', severity: 'high', escalations: 1, reopened: 0, version: '2' },
    ];
    const together = await spec.given(batch).expectRows(sorted, expected);
    expect(together.find((r) => r.id === other)!.indicated_causes).toEqual(['disability', 'illness']);
    // The oracle: the same events in an order where no two escalations are adjacent runs, so
    // each goes through its own handler.
    const oneByOne = await spec.given([batch[2]!, batch[4]!, batch[0]!, batch[1]!, batch[3]!, batch[5]!]).expectRows(sorted, expected);
    expect(together).toEqual(oneByOne);
  });
});
