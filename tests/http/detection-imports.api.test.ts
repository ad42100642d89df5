import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { expectStatus } from '../support/api-expect';

describe('data imports through HTTP', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};
  const registered = idNumber('1960-05-01', 11);
  const child = idNumber('2012-09-01', 12);
  const stranger = idNumber('1975-07-07', 21);
  const drifter = idNumber('1988-08-08', 23);

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;
  const importCsv = (source: string, body: string | Readable, query = '', headers = admin) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/data-imports?source=${source}${query}`,
      headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' },
      payload: body,
    });
  const eventCount = async () => Number((await sql<{ n: string }>`select count(*) as n from es_events`.execute(t.database.db)).rows[0]!.n);

  beforeAll(async () => {
    t = await startTestApp();
    admin = bearer(t.token('admin'));
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    ids.vA = (
      await ok(
        call('POST', '/api/v1/workers', {
          name: '村社工甲',
          level: 'village',
          phone: '13900000000',
          idNumber: idNumber('1985-03-03', 31),
          hireDate: '2025-01-01',
          posting: { villageId: ids.village },
        }),
        201,
      )
    ).id;
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2025-01-01' }));
    const household = await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.g1,
        members: [
          { name: '王老汉', idNumber: registered, relation: 'head', labourCapacity: 'partial', disability: { type: 'physical', grade: 3 } },
          { name: '王小明', idNumber: child, relation: 'grandchild', labourCapacity: 'none', schoolStatus: 'junior_secondary' },
        ],
      }),
      201,
    );
    ids.household = household.id;
  });
  afterAll(async () => t?.close());

  describe('education (CSV)', () => {
    const csv = [
      'id_number,name,school_status,reported_on,school_aid,address_code',
      `${child},王小明,dropout,2026-02-20,否,`,
      `${stranger},李四,enrolled,2026-02-20,否,530626100201001`,
      `${idNumber('1999-01-01', 1).slice(0, 17)}0,坏号,enrolled,2026-02-20,,`,
      `${drifter},赵五,dropout,2026-02-20,,999999`,
      `${stranger},李四,enrolled,2026-02-20,否,530626100201001`,
      `${idNumber('2010-01-01', 3)},钱六,expelled,2026-13-01,,`,
      `${idNumber('2010-01-01', 5)},孙七,enrolled,2026-03-05,,`,
      'x,y',
    ].join('\n');

    it('applies valid rows, reports each invalid one with its row, field and reason, and raises findings', async () => {
      const r = await importCsv('education', csv, '&batchId=EDU-2026-02');
      expect(r.statusCode, r.body).toBe(201);
      const report = r.json();
      expect(report).toMatchObject({
        source: 'education',
        batchId: 'EDU-2026-02',
        status: 'completed',
        rowCount: 8,
        applied: 3,
        unchanged: 1,
        rejected: 4,
        duplicate: false,
      });
      // the dropout on the register → a schooling finding; the unregistered dropout → a person found
      expect(report).toMatchObject({ findingsRaised: 2, personsFound: 1 });
      ids.eduImport = report.id;

      const rejections = await ok(call('GET', `/api/v1/data-imports/${report.id}/rejections`));
      expect(rejections.items).toEqual([
        { row: 3, field: 'idNumber', message: '身份证号须为 18 位公民身份号码，末位校验码符合 GB 11643' },
        { row: 6, field: 'schoolStatus', message: expect.stringContaining('须为以下代码之一') },
        { row: 6, field: 'reportedOn', message: '须为 YYYY-MM-DD 格式的日期' },
        { row: 7, field: 'reportedOn', message: expect.stringContaining('日期晚于导入当日') },
        { row: 8, field: '(row)', message: '此行有 2 个单元格，表头有 6 个' },
      ]);
      const english = await ok(call('GET', `/api/v1/data-imports/${report.id}/rejections`, undefined, { ...admin, 'accept-language': 'en' }));
      expect(english.items.map((r: { message: string }) => r.message)).toEqual([
        expect.stringMatching(/^not a valid national ID number/),
        expect.stringContaining('must be one of'),
        'must be a date in YYYY-MM-DD form',
        expect.stringContaining('after the day of the import'),
        'the row has 2 cells, the header 6',
      ]);
    });

    it('offers the rejections as a CSV download that never contains an ID number', async () => {
      const r = await call('GET', `/api/v1/data-imports/${ids.eduImport}/rejections.csv`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/csv');
      expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload demands `columns`
      const records = parse(r.body.replace(/^\uFEFF/, '')) as string[][];
      expect(records[0]).toEqual(['行号', '字段', '原因']);
      expect(records).toHaveLength(6);
      expect(records[1]).toEqual(['3', 'idNumber', '身份证号须为 18 位公民身份号码，末位校验码符合 GB 11643']);
      expect(r.body).not.toMatch(/\d{17}[\dX]/);
      const english = await call('GET', `/api/v1/data-imports/${ids.eduImport}/rejections.csv?lang=en`);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload demands `columns`
      const englishRecords = parse(english.body.replace(/^\uFEFF/, '')) as string[][];
      expect(englishRecords[0]).toEqual(['row', 'field', 'message']);
      expect(englishRecords[1]).toEqual(['3', 'idNumber', expect.stringMatching(/^not a valid national ID number/)]);
    });

    it('changes nothing when the same content is imported again', async () => {
      const before = await eventCount();
      const r = await importCsv('education', csv.replaceAll('\n', '\r\n'), '&batchId=EDU-2026-02');
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ id: ids.eduImport, duplicate: true, applied: 3 });
      expect(await eventCount()).toBe(before);
    });

    it('accepts an Idempotency-Key on a streamed upload, replaying the first answer', async () => {
      const body = `id_number,name,school_status,reported_on\n${stranger},李四,graduated,2026-02-22\n`;
      const headers = { ...admin, 'idempotency-key': 'edu-upload-1' };
      const first = await importCsv('education', body, '', headers);
      expect(first.statusCode, first.body).toBe(201);
      const again = await importCsv('education', body, '', headers);
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().id).toBe(first.json().id);
    });

    it('refuses a batch id already used for other content', async () => {
      const r = await importCsv('education', `id_number,name,school_status,reported_on\n${stranger},李四,graduated,2026-02-21\n`, '&batchId=EDU-2026-02');
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'data_import.batch_id_reused', existingImportId: ids.eduImport });
    });

    it('counts an observation already imported in another batch as unchanged', async () => {
      const r = await importCsv('education', `id_number,name,school_status,reported_on,school_aid\n${child},王小明,dropout,2026-02-20,false\n`);
      expect(r.json()).toMatchObject({ applied: 0, unchanged: 1, findingsRaised: 0 });
    });
  });

  describe('matching', () => {
    it('matches a registered person to their household and group', async () => {
      const findings = await ok(call('GET', `/api/v1/findings?import=${ids.eduImport}&matched=true`));
      expect(findings.items).toHaveLength(1);
      expect(findings.items[0]).toMatchObject({
        cause: 'schooling',
        severity: 'high',
        matched: true,
        householdId: ids.household,
        groupId: ids.g1,
        name: '王小明',
        task: { status: 'open', deadline: '2026-03-09', assigneeId: ids.vA },
      });
    });

    it('puts someone not on the register with an unknown address code in the unplaced queue, and lets the bureau place them', async () => {
      const queue = await ok(call('GET', '/api/v1/findings?unplaced=true'));
      expect(queue.items).toHaveLength(1);
      const found = queue.items[0];
      expect(found).toMatchObject({ cause: 'person_found', indicatedCauses: ['schooling'], severity: 'high', matched: false, unplaced: true, name: '赵五' });
      // only those who see everything see the queue
      const town = await ok(call('GET', '/api/v1/findings?unplaced=true', undefined, bearer(t.token('village_worker', ids.vA))));
      expect(town.items).toEqual([]);
      const placed = await ok(call('POST', `/api/v1/findings/${found.id}/place`, { groupId: ids.g1 }));
      expect(placed).toMatchObject({ unplaced: false, groupId: ids.g1, villageId: ids.village, townId: ids.town, task: { assigneeId: ids.vA } });
    });

    it('raises no finding for an unregistered person whose row is unremarkable (education)', async () => {
      const findings = await ok(call('GET', `/api/v1/findings?import=${ids.eduImport}`));
      expect(findings.items.map((f: any) => f.name).sort()).toEqual(['王小明', '赵五']);
    });
  });

  describe('the other sources', () => {
    it('medical insurance (JSON array): rejects a bad amount, raises nothing under the threshold', async () => {
      const r = await call('POST', '/api/v1/data-imports?source=medical_insurance', [
        { idNumber: registered, name: '王老汉', settlementId: 'M-1', settledOn: '2026-02-01', outOfPocket: '8000.00' },
        { idNumber: registered, name: '王老汉', settlementId: 'M-2', settledOn: '2026-02-03', outOfPocket: '12.345' },
      ]);
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ applied: 1, rejected: 1, findingsRaised: 0 });
    });

    it('health (NDJSON): a serious illness of someone not on the register is a person found, placed by address code', async () => {
      const body = [
        JSON.stringify({ idNumber: stranger, name: '李四', category: 'serious_illness', diagnosedOn: '2026-02-10', addressCode: '530626100201001' }),
        '{"broken"',
        '',
      ].join('\n');
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/data-imports?source=health',
        headers: { ...admin, 'content-type': 'application/x-ndjson' },
        payload: body,
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ applied: 1, rejected: 1, personsFound: 1 });
      const found = await ok(call('GET', `/api/v1/findings?import=${r.json().id}`));
      expect(found.items[0]).toMatchObject({ cause: 'person_found', indicatedCauses: ['illness'], groupId: ids.g1, unplaced: false });
    });

    it('disability federation: a more severe grade than the register knows raises a disability finding', async () => {
      const r = await importCsv(
        'disability_federation',
        `id_number,name,disability_type,grade,certified_on\n${registered},王老汉,physical,2,2026-02-15\n${registered},王老汉,physical,3,2026-02-16\n`,
      );
      expect(r.json()).toMatchObject({ applied: 2, findingsRaised: 1 });
      const findings = await ok(call('GET', `/api/v1/findings?cause=disability&household=${ids.household}`));
      expect(findings.items[0]).toMatchObject({ severity: 'high', reasons: [expect.stringContaining('from 3 to 2')] });
    });

    it('rural revitalization and emergency management raise findings of their cause', async () => {
      const rural = await importCsv(
        'rural_revitalization',
        `id_number,name,monitoring_type,risk_cause,monitored_on\n${registered},王老汉,marginal_vulnerable,accident,2026-02-01\n`,
      );
      expect(rural.json()).toMatchObject({ applied: 1, findingsRaised: 1 });
      const monitored = (await ok(call('GET', `/api/v1/findings?cause=accident&household=${ids.household}`))).items[0];
      await ok(call('POST', `/api/v1/tasks/${monitored.taskId}/outcome`, { outcome: 'no_need', reason: '家庭收入稳定', on: '2026-03-02' }));
      const emergency = await importCsv(
        'emergency_management',
        `id_number,name,event_kind,occurred_on,loss,injury\n${registered},王老汉,disaster,2026-02-25,30000,none\n${registered},王老汉,accident,2026-02-26,,serious\n`,
      );
      // the accident is already a finding (medium, from monitoring, closed): a serious injury escalates and reopens it
      expect(emergency.json()).toMatchObject({ applied: 2, findingsRaised: 1, findingsEscalated: 1 });
      const accident = await ok(call('GET', `/api/v1/findings?cause=accident&household=${ids.household}`));
      expect(accident.items).toHaveLength(1);
      expect(accident.items[0]).toMatchObject({
        severity: 'high',
        escalations: 1,
        reopened: 1,
        task: { status: 'open', outcome: null, deadline: '2026-03-09' },
      });
    });
  });

  describe('findings across the chunks of a bigger file (500 rows a chunk)', () => {
    it('raises and escalates one person in one chunk, rejects the first row of the next, finds someone in it, and adds nothing again', async () => {
      const newcomer = idNumber('1977-07-07', 41);
      const small = (i: number) => `${idNumber(`1970-0${1 + (i % 9)}-1${i % 10}`, 100 + Math.floor(i / 90))},路人${i},,S-${i},2026-02-10,300`;
      const lines = ['id_number,name,address_code,settlement_id,settled_on,out_of_pocket'];
      for (let row = 1; row <= 1200; row++) {
        if (row === 499)
          lines.push(`${registered},王老汉,,BIG-1,2026-02-10,25000`); // ≥ ¥20,000: medium
        else if (row === 500)
          lines.push(`${registered},王老汉,,BIG-2,2026-02-11,30000`); // ≥ ¥50,000 in 12 months: high, same chunk
        else if (row === 501)
          lines.push(`${registered},王老汉,,BIG-3,2026-02-30,100`); // no such day: rejected, first row of chunk 2
        else if (row === 502) lines.push(`${newcomer},新来者,530626100201001,BIG-4,2026-02-12,60000`);
        else lines.push(small(row));
      }
      const csv = `${lines.join('\n')}\n`;
      const r = await importCsv('medical_insurance', csv, '&batchId=MED-CHUNKS');
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ rowCount: 1200, applied: 1199, rejected: 1, findingsRaised: 2, findingsEscalated: 1, personsFound: 1 });
      const rejections = await ok(call('GET', `/api/v1/data-imports/${r.json().id}/rejections`));
      expect(rejections.items).toEqual([expect.objectContaining({ row: 501, field: 'settledOn' })]);
      const illness = await ok(call('GET', `/api/v1/findings?cause=illness&household=${ids.household}`));
      expect(illness.items).toHaveLength(1);
      expect(illness.items[0]).toMatchObject({ severity: 'high', escalations: 1, task: { status: 'open' } });
      const found = await ok(call('GET', `/api/v1/findings?cause=person_found&import=${r.json().id}`));
      expect(found.items).toEqual([expect.objectContaining({ groupId: ids.g1, indicatedCauses: ['illness'] })]);

      const events = await eventCount();
      const again = await importCsv('medical_insurance', csv, '&batchId=MED-CHUNKS');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ duplicate: true, findingsRaised: 2, findingsEscalated: 1 });
      expect(await eventCount()).toBe(events);
    });
    it('judges the first rows of a chunk with the rows of the chunk before it, which is still being written as they are read', async () => {
      // The import reads chunk k + 1 while chunk k is written: whether the read comes before or after
      // chunk k's commit, its rows must count once in the history and as known.
      const widow = idNumber('1955-03-03', 51);
      const household = await ok(
        call('POST', '/api/v1/households', { groupId: ids.g1, members: [{ name: '李大娘', idNumber: widow, relation: 'head', labourCapacity: 'none' }] }),
        201,
      );
      const lines = ['id_number,name,address_code,settlement_id,settled_on,out_of_pocket'];
      for (let row = 1; row <= 1100; row++) {
        if (row === 500)
          lines.push(`${widow},李大娘,,LI-1,2026-02-10,25000`); // ≥ ¥20,000: medium, last row of chunk 1
        else if (row === 501)
          lines.push(`${widow},李大娘,,LI-1,2026-02-10,25000`); // the same settlement again: unchanged, first row of chunk 2
        else if (row === 502)
          lines.push(`${widow},李大娘,,LI-2,2026-02-14,30000`); // ≥ ¥50,000 with row 500: escalated to high
        else lines.push(`${idNumber(`1971-0${1 + (row % 9)}-1${row % 10}`, 200 + Math.floor(row / 90))},路人${row},,T-${row},2026-02-10,300`);
      }
      const r = await importCsv('medical_insurance', `${lines.join('\n')}\n`, '&batchId=MED-ACROSS');
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ rowCount: 1100, applied: 1099, unchanged: 1, rejected: 0, findingsRaised: 1, findingsEscalated: 1 });
      const illness = await ok(call('GET', `/api/v1/findings?cause=illness&household=${household.id}`));
      expect(illness.items).toHaveLength(1);
      expect(illness.items[0]).toMatchObject({ severity: 'high', escalations: 1 });
    });
  });

  describe('authorization', () => {
    it('lets only the bureau import, and auditors and evaluators read reports', async () => {
      expect((await importCsv('education', 'id_number\n1\n', '', bearer(t.token('county_worker')))).statusCode).toBe(403);
      expect((await importCsv('education', 'id_number\n1\n', '', bearer(t.token('auditor')))).statusCode).toBe(403);
      expect((await call('GET', '/api/v1/data-imports', undefined, bearer(t.token('evaluator')))).statusCode).toBe(200);
      expect((await call('GET', '/api/v1/data-imports', undefined, bearer(t.token('village_worker', ids.vA)))).statusCode).toBe(403);
    });
  });
});
