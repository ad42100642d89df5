import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, type Position } from '../../src/application/event-store';
import type { Program } from '../../src/domain/assistance/case.events';
import { PROGRAM_LABELS, PROGRAM_ORDER } from '../../src/domain/reports/labels';
import type { DemoWorld } from '../../src/demo/context';
import { runDemoSeed } from '../../src/demo/seed';
import { expectStatus } from '../support/api-expect';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { eventually } from '../support/wait';

/**
 * Issue 19, "the payment roll and the monthly report for a month of the demo county match totals
 * computed independently": the demo county's cases are seeded, then every month's roll and
 * statistics report (GET, as the bureau would) are compared with what the seeded cases actually
 * paid — the PaymentRecorded events, read straight from the log and summed here.
 */
describe('demo county: the payment roll and the monthly report agree with what the cases paid', () => {
  let t: TestApp;
  let world: DemoWorld;
  let admin: Record<string, string>;
  /** month → "town|program" → caseId → fen paid for that month. */
  const paid = new Map<string, Map<string, Map<string, number>>>();
  const MONTHS = ['2023-02', '2023-03', '2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12'];
  const get = async (url: string) => expectStatus(t.app.inject({ method: 'GET', url, headers: admin }));

  beforeAll(async () => {
    t = await startTestApp();
    world = (await runDemoSeed(t.service, { scale: 'tiny' })).world;
    admin = bearer(t.token('admin'));
    // The test's own reading of the log: each payment under the month it pays (a monthly payment's
    // month, a one-off's payment day), with its case's town and program.
    const cases = new Map<string, { townId: string; program: Program }>();
    const payments: { caseId: string; kind: string; month: string | null; paidOn: string; fen: number }[] = [];
    let position: Position = START;
    for (;;) {
      const page = await t.service.deps.store.readAll(position, 500, { types: ['CaseApplied', 'PaymentRecorded'] });
      for (const e of page.events) {
        const d = e.data as any;
        if (e.type === 'CaseApplied') cases.set(d.caseId, { townId: d.townId, program: d.program });
        else payments.push(d);
      }
      if (page.events.length === 0 || page.next === position) break;
      position = page.next;
    }
    for (const p of payments) {
      const c = cases.get(p.caseId)!;
      const month = p.kind === 'monthly' ? p.month! : p.paidOn.slice(0, 7);
      const byKey = paid.get(month) ?? new Map();
      paid.set(month, byKey);
      const key = `${c.townId}|${c.program}`;
      const byCase = byKey.get(key) ?? new Map<string, number>();
      byKey.set(key, byCase);
      byCase.set(p.caseId, (byCase.get(p.caseId) ?? 0) + p.fen);
    }
  }, 300_000);
  afterAll(async () => t?.close());

  it('seeded payments in most months, monthly and one-off', () => {
    expect([...paid.keys()].sort()).toEqual(expect.arrayContaining(['2023-06', '2023-10', '2023-11', '2023-12']));
    expect([...paid.values()].flatMap((m) => [...m.keys()]).some((k) => k.endsWith('|dibao'))).toBe(true);
  });

  it('every month’s roll has, per town and program, the cases paid that month and their sums', async () => {
    const town = world.towns[0]!;
    for (const month of MONTHS) {
      const roll = await eventually(() => get(`/api/v1/reports/payment-roll?month=${month}`));
      const expected = paid.get(month) ?? new Map<string, Map<string, number>>();
      const fromRoll = new Map<string, { households: number; total: number }>();
      for (const s of roll.sections) {
        const program = PROGRAM_ORDER.find((p) => s.title === `${town.name} · ${PROGRAM_LABELS[p]}`);
        expect(program, s.title).toBeDefined();
        expect(s.totals.total).toBe(s.rows.reduce((a: number, r: any) => a + r.total, 0));
        fromRoll.set(`${town.id}|${program}`, { households: s.rows.length, total: s.totals.total });
      }
      const want = new Map([...expected].map(([k, byCase]) => [k, { households: byCase.size, total: [...byCase.values()].reduce((a, b) => a + b, 0) }]));
      expect(Object.fromEntries(fromRoll), month).toEqual(Object.fromEntries(want));
    }
  });

  it('every month’s statistics report has the same households and spending per program', async () => {
    for (const month of MONTHS) {
      const doc = await get(`/api/v1/reports/monthly-statistics?month=${month}`);
      const expected = paid.get(month) ?? new Map<string, Map<string, number>>();
      for (const program of PROGRAM_ORDER) {
        const subtotal = doc.sections[0].rows.find((r: any) => r.program === `${PROGRAM_LABELS[program]} 小计`);
        const cases = [...expected].filter(([k]) => k.endsWith(`|${program}`)).flatMap(([, byCase]) => [...byCase.values()]);
        expect([subtotal.households, subtotal.total], `${month} ${program}`).toEqual([cases.length, cases.reduce((a, b) => a + b, 0)]);
      }
    }
  });

  it('the fire case appears once in June’s 临时救助 lines, with its ¥2,000', async () => {
    const fireHousehold = world.households.find((h) => h.id === world.stories.fireHouseholdId)!;
    const applicant = fireHousehold.members[0]!;
    const roll = await get(`/api/v1/reports/payment-roll?month=2023-06&program=temporary`);
    const lines = roll.sections
      .flatMap((s: any) => s.rows)
      .filter((r: any) => r.name === applicant.name && r.idNumber.slice(-2) === applicant.idNumber.slice(-2));
    expect(lines).toEqual([expect.objectContaining({ oneOff: 200_000, monthly: 0, total: 200_000, note: '一次性救助' })]);
    // Not again in July, though its paperwork was completed and the case closed later.
    const july = await get(`/api/v1/reports/payment-roll?month=2023-07&program=temporary`);
    expect(
      july.sections.flatMap((s: any) => s.rows).filter((r: any) => r.name === applicant.name && r.idNumber.slice(-2) === applicant.idNumber.slice(-2)),
    ).toEqual([]);
  });
});
