import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { expectStatus } from '../support/api-expect';

/**
 * The rules a step is decided under (PolicyRegistryService.rulesOn): the county's policy version
 * in force on the day, its hash and the calendar it names, read together; a policy added later is
 * seen at once, and one whose calendar was never registered is refused by name.
 */
describe('the rules of a day', () => {
  let t: TestApp;
  const call = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.token('admin')}` }, payload });

  beforeAll(async () => {
    t = await startTestApp();
    await expectStatus(call('/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024)) as object), 201);
  });
  afterAll(async () => t?.close());

  it('answers the version in force with its calendar, sees a new version at once, and names a missing calendar', async () => {
    const registry = t.service.services.policyRegistry;
    const first = (await expectStatus(call('/api/v1/policies', policy2023Input), 201)) as { contentHash: string };
    const rules = await registry.rulesOn('2023-06-01');
    expect(rules).toMatchObject({ policy: { id: 'suijiang-2023' }, policyHash: first.contentHash, calendar: { id: chinaCalendar2023To2024.id } });
    // The same documents again: defined once, the same frozen objects.
    const again = await registry.rulesOn('2023-07-01');
    expect(again.policy).toBe(rules.policy);
    expect(again.calendar).toBe(rules.calendar);

    const later = (await expectStatus(call('/api/v1/policies', { ...policy2023Input, id: 'suijiang-2024', effectiveFrom: '2024-01-01' }), 201)) as {
      contentHash: string;
    };
    expect(await registry.rulesOn('2024-03-01')).toMatchObject({ policy: { id: 'suijiang-2024' }, policyHash: later.contentHash });
    expect((await registry.rulesOn('2023-12-31')).policy.id).toBe('suijiang-2023');

    await expectStatus(call('/api/v1/policies', { ...policy2023Input, id: 'suijiang-2025', effectiveFrom: '2025-01-01', calendarId: 'cn-2025' }), 201);
    await expect(registry.rulesOn('2025-02-01')).rejects.toMatchObject({ rule: 'calendar.missing', details: { calendarId: 'cn-2025' } });
    expect((await registry.rulesOn('2024-12-31')).policy.id).toBe('suijiang-2024');
  });
});
