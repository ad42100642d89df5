import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar/working-days.iso-date';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { eventually } from '../support/wait';
import { expectStatus } from '../support/api-expect';

const HEADER =
  'group_code,recipient_name,recipient_id_number,program,decision_date,monthly_yuan,applied_on,persons,class,income_stability,paid_from,paid_through';
const GROUPS = ['530626100201001', '530626100201002'];
/** The roll of the main import test: three of its rows are bad, the rest are applied. */
const ROLL_ROWS = 200;
const APPLIED = ROLL_ROWS - 3;

/** A legacy roll of `n` recipients with known, independently computable content. */
function roll(n: number, bad: Record<number, (cells: string[]) => void> = {}) {
  const lines = [HEADER];
  let expectedPaidFen = 0;
  for (let i = 0; i < n; i++) {
    const program = i % 4 === 0 ? 'tekun' : 'dibao';
    const decision = addDays('2019-01-10', (i * 7) % 1500); // spread over 2019-01-10 … 2023-02-18
    const yuan = 300 + (i % 50) * 7 + (i % 3 === 0 ? 0.5 : 0); // e.g. 300.50
    const cells = [
      GROUPS[i % 2]!,
      `对象${i}`,
      idNumber(addDays('1940-01-01', i), i % 1000),
      program,
      decision,
      yuan.toFixed(2),
      addDays(decision, -20),
      String(1 + (i % 4)),
      i % 5 === 0 ? 'A' : '',
      i % 2 ? 'unstable' : 'stable',
      '2023-10',
      '2024-02',
    ];
    bad[i]?.(cells);
    if (!bad[i]) expectedPaidFen += Math.round(yuan * 100) * 5;
    lines.push(cells.join(','));
  }
  return { csv: lines.join('\n') + '\n', expectedPaidFen };
}

describe('going live: the county’s existing roll imported as migrated decisions', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const call = (method: 'GET' | 'POST', url: string, payload?: string | object | Buffer, headers: Record<string, string> = admin) =>
    t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  const ok = expectStatus;
  const importCsv = (csv: string, headers = admin, reason = '系统上线，导入2024年2月底在保对象花名册') =>
    call('POST', `/api/v1/assistance/legacy-imports?reason=${encodeURIComponent(reason)}`, csv, { ...headers, 'content-type': 'text/csv' });
  const eventCount = async () => Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(t.database.db)).rows[0]!.n);

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2024-03-15T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024))), 201);
    await ok(call('POST', '/api/v1/policies', policy2023Input), 201);
    const town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    const village = (await ok(call('POST', '/api/v1/villages', { townId: town, code: '530626100201', name: '回望村' }), 201)).id;
    for (const [i, code] of GROUPS.entries()) await ok(call('POST', '/api/v1/groups', { villageId: village, code, name: `${i + 1}组` }), 201);
  });
  afterAll(async () => t?.close());

  it('is the bureau’s alone, and needs a reason', async () => {
    const { csv } = roll(1);
    expect((await importCsv(csv, bearer(t.token('county_worker')))).statusCode).toBe(403);
    expect((await importCsv(csv, bearer(t.token('civil_affairs_officer')))).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/assistance/legacy-imports', csv, { ...admin, 'content-type': 'text/csv' })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/assistance/legacy-imports?reason=%E4%B8%8A%E7%BA%BF%E5%AF%BC%E5%85%A5', { rows: [] })).statusCode).toBe(400);
  });

  it('answers unreadable files with 400 and rows of the wrong shape with reasons, never a 5xx', async () => {
    const garbage = await call('POST', `/api/v1/assistance/legacy-imports?reason=${encodeURIComponent('上线导入')}`, Buffer.from('not a zip file'), {
      ...admin,
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.headers['content-type']).toContain('application/problem+json');
    expect((await importCsv('a,b\n"unclosed,1\n')).statusCode).toBe(400);
    const shapeless = await ok(importCsv('foo,bar\n1,2\n'));
    expect(shapeless).toMatchObject({
      rows: 1,
      applied: 0,
      rejected: [{ row: 2, reasons: expect.arrayContaining([expect.stringContaining('村民小组代码')]) }],
    });
  });

  // 200 rows cover every combination roll() varies (program, class, stability, group, cents) many
  // times over and keep four import lanes busy; 1,000 rows took 5 times as long and checked nothing more.
  it('applies 197 of a 200-row roll, reports the 3 bad rows with reasons, and a second import changes nothing', async () => {
    const { csv, expectedPaidFen } = roll(ROLL_ROWS, {
      100: (c) => (c[2] = c[2]!.slice(0, 17) + (c[2]!.endsWith('0') ? '1' : '0')), // wrong check character
      151: (c) => (c[0] = '530626100201099'), // no such villager group
      182: (c) => (c[4] = '2024-04-01'), // decided after today
    });
    const first = await ok(importCsv(csv));
    expect(first).toMatchObject({ rows: ROLL_ROWS, applied: APPLIED, unchanged: 0, fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first.rejected).toEqual([
      { row: 102, reasons: [expect.stringContaining('身份证号码无效')] },
      { row: 153, reasons: [expect.stringContaining('530626100201099')] },
      { row: 184, reasons: expect.arrayContaining([expect.stringContaining('晚于今天')]) },
    ]);
    // Money the roll says was paid, computed here independently: 5 months (Oct–Feb) × each amount.
    const paid = await sql<{ fen: string; n: string }>`select sum(fen) as fen, count(*) as n from rm_case_paid where migrated`.execute(t.database.db);
    expect(Number(paid.rows[0]!.fen)).toBe(expectedPaidFen);
    expect(Number(paid.rows[0]!.n)).toBe(APPLIED * 5);

    const before = await eventCount();
    const second = await ok(importCsv(csv));
    expect(second).toMatchObject({ rows: ROLL_ROWS, applied: 0, unchanged: APPLIED });
    expect(second.rejected.map((r: any) => r.row)).toEqual([102, 153, 184]);
    expect(await eventCount()).toBe(before);
  }, 600_000);

  it('keeps each recipient’s real dates: decision, payments, enrolment and the next dynamic review', async () => {
    // Row 2 of the file: recipient 0, 特困, decided 2019-01-10, 300.50 yuan a month.
    const person = idNumber('1940-01-01', 0);
    const households = await ok(call('GET', `/api/v1/households?idNumber=${person}`));
    const h = households.items[0];
    expect(h.specialGroups).toEqual([expect.objectContaining({ group: 'tekun_scattered', from: '2019-01-10', to: null })]);
    const cases = await ok(call('GET', `/api/v1/cases?household=${h.id}`));
    const c = cases.items[0];
    expect(c).toMatchObject({
      program: 'tekun',
      status: 'granted',
      appliedOn: '2018-12-21',
      paidFen: 30_050 * 5,
      paymentInForce: { monthlyFen: 30_050, from: '2023-10-01' },
      migrated: { row: 2, reason: expect.stringContaining('系统上线') },
    });
    // 特困 every 12 months from the real decision: due 2020-01-10, so long overdue.
    expect(c.dueDates.nextDynamicReview).toBe('2020-01-10');
    expect(c.overdue).toEqual(['dynamic_review']);
    const row = (await ok(call('GET', `/api/v1/decisions?case=${c.id}`))).items[0];
    expect(row).toMatchObject({ kind: 'migrated', decisionDate: '2019-01-10', outcome: 'granted', policy: { id: 'legacy-roll' } });
    const decision = await ok(call('GET', `/api/v1/decisions/${row.decisionId}`));
    expect(decision).toMatchObject({
      kind: 'migrated',
      decisionDate: '2019-01-10',
      classification: { class: 'A' },
      source: { row: 2, fileSha256: expect.any(String) },
    });

    // Payments continue under the ledger: March once, February was paid by the roll.
    const officerId = (await ok(call('POST', '/api/v1/officials', { name: '县民政局', role: 'civil_affairs_officer', from: '2024-01-01' }), 201)).id;
    const officer = bearer(t.token('civil_affairs_officer', officerId));
    expect((await call('POST', `/api/v1/cases/${c.id}/payments`, { month: '2024-02' }, officer)).json().rule).toBe('payment.already_paid');
    expect((await ok(call('POST', `/api/v1/cases/${c.id}/payments`, { month: '2024-03' }, officer))).paidFen).toBe(30_050 * 6);
  });

  it('replay lists migrated decisions apart from those it re-runs', async () => {
    const auditor = bearer(t.token('auditor'));
    const replay = await eventually(async () => {
      const r = await ok(call('POST', '/api/v1/audit/replay', { from: '2000-01-01', to: '2024-12-31' }, auditor));
      expect(r.migrated.count).toBe(APPLIED);
      return r;
    });
    expect(replay).toMatchObject({ ok: true, decisionsChecked: 0, mismatches: [] });
    expect(replay.migrated.decisions[0]).toMatchObject({ source: { fileSha256: expect.any(String), row: expect.any(Number), reason: expect.any(String) } });
  });

  it('reads an xlsx roll the same way', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('花名册');
    sheet.addRow(HEADER.split(','));
    sheet.addRow(['530626100201001', '孤儿甲', idNumber('2015-05-05', 7), 'orphan', new Date(Date.UTC(2022, 4, 6)), '1150', '', '1', '', '', '', '2024-01']);
    sheet.addRow(['530626100201001', '坏行', '123', 'orphan', '2022-05-06', '1150']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const r = await ok(
      call('POST', `/api/v1/assistance/legacy-imports?reason=${encodeURIComponent('上线补录孤儿')}`, bytes, {
        ...admin,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
    );
    expect(r).toMatchObject({ rows: 2, applied: 1, rejected: [{ row: 3, reasons: [expect.stringContaining('身份证')] }] });
    const h = (await ok(call('GET', `/api/v1/households?idNumber=${idNumber('2015-05-05', 7)}`))).items[0];
    const c = (await ok(call('GET', `/api/v1/cases?household=${h.id}`))).items[0];
    // Paid from June 2022 (the month after the decision) through January 2024: 20 months.
    expect(c).toMatchObject({ program: 'orphan', paidFen: 115_000 * 20, paymentInForce: { monthlyFen: 115_000, from: '2022-06-01' } });
  });
});
