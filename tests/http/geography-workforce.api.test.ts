import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';

describe('geography, stations, workforce, jurisdiction and coverage through HTTP', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const ids: Record<string, string> = {};

  const post = (url: string, payload: object, headers = admin) => t.app.inject({ method: 'POST', url, headers, payload });
  const put = (url: string, payload: object, headers = admin) => t.app.inject({ method: 'PUT', url, headers, payload });
  const get = (url: string, headers = admin) => t.app.inject({ method: 'GET', url, headers });
  const ok = async (response: Promise<{ statusCode: number; json(): any; body: string }>, status = 200) => {
    const r = await response;
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-03-02T02:00:00.000Z'); // 2026-03-02 10:00 in the county
    admin = bearer(t.token('admin'));
    ids.town = (await ok(post('/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.otherTown = (await ok(post('/api/v1/towns', { code: '530626101', name: '板栗镇' }), 201)).id;
    ids.v1 = (await ok(post('/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.v2 = (await ok(post('/api/v1/villages', { townId: ids.town, kind: 'community', code: '530626100001', name: '福兴社区' }), 201)).id;
    ids.g1 = (await ok(post('/api/v1/groups', { villageId: ids.v1, code: '530626100201001', name: '一组' }), 201)).id;
    ids.g2 = (await ok(post('/api/v1/groups', { villageId: ids.v1, code: '530626100201002', name: '二组' }), 201)).id;
    ids.g3 = (await ok(post('/api/v1/groups', { villageId: ids.v2, code: '530626100001001', name: '一组' }), 201)).id;
    const worker = (name: string, level: string, seq: number, posting?: object) =>
      ok(
        post('/api/v1/workers', {
          name,
          level,
          phone: '13800000000',
          idNumber: idNumber('1990-01-01', seq),
          hireDate: '2026-01-01',
          ...(posting ? { posting } : {}),
        }),
        201,
      );
    ids.county = (await worker('县社工甲', 'county', 11)).id;
    ids.townWorker = (await worker('镇社工乙', 'town', 12, { townId: ids.town })).id;
    ids.vA = (await worker('村社工丙', 'village', 13, { villageId: ids.v1 })).id;
    ids.vB = (await worker('村社工丁', 'village', 14, { villageId: ids.v1 })).id;
  });
  afterAll(async () => t?.close());

  describe('geography', () => {
    it('lists villages of a town and groups of a village, with codes and parents', async () => {
      const villages = await ok(get(`/api/v1/villages?town=${ids.town}`));
      expect(villages.items.map((v: any) => [v.code, v.kind])).toEqual([
        ['530626100001', 'community'],
        ['530626100201', 'village'],
      ]);
      const groups = await ok(get(`/api/v1/groups?village=${ids.v1}&limit=1`));
      expect(groups.items).toHaveLength(1);
      expect(groups.items[0]).toMatchObject({ code: '530626100201001', townId: ids.town, responsible: null });
      expect(groups.nextCursor).toEqual(expect.any(String));
    });

    it('refuses a village under an unknown town (404) and a duplicate group code (422)', async () => {
      expect((await post('/api/v1/villages', { townId: '00000000-0000-4000-8000-000000000000', code: 'X1', name: 'x' })).statusCode).toBe(404);
      const dup = await post('/api/v1/groups', { villageId: ids.v1, code: '530626100201001', name: '重复' });
      expect(dup.statusCode).toBe(422);
      expect(dup.json().rule).toBe('group.already_registered');
    });

    it('renames with If-Match: a stale version is 412, the current one succeeds with a new ETag', async () => {
      const stale = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/towns/${ids.otherTown}`,
        headers: { ...admin, 'if-match': '"7"' },
        payload: { name: '板栗' },
      });
      expect(stale.statusCode).toBe(412);
      expect(stale.json()).toMatchObject({ type: '/problems/precondition-failed', currentVersion: 1 });
      const fresh = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/towns/${ids.otherTown}`,
        headers: { ...admin, 'if-match': '"1"' },
        payload: { name: '板栗镇（新）' },
      });
      expect(fresh.statusCode).toBe(200);
      expect(fresh.headers.etag).toBe('"2"');
      expect(fresh.json().name).toBe('板栗镇（新）');
    });
  });

  describe('stations and the 六有 standard', () => {
    it('refuses to open a station until all six items are met, naming the unmet ones', async () => {
      const station = await ok(post('/api/v1/stations', { townId: ids.town, name: '中城镇社工站' }), 201);
      ids.station = station.id;
      expect(station).toMatchObject({ kind: 'town_station', status: 'planned' });
      await ok(put(`/api/v1/stations/${station.id}/standard/venue`, { met: true, note: '200㎡', on: '2026-02-01' }));
      const refused = await post(`/api/v1/stations/${station.id}/open`, { openedOn: '2026-03-01' });
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ rule: 'station.standard_unmet', unmetItems: ['equipment', 'staff', 'service_functions', 'workflows', 'rules'] });
      for (const item of ['equipment', 'staff', 'service_functions', 'workflows', 'rules']) {
        await ok(put(`/api/v1/stations/${station.id}/standard/${item}`, { met: true, note: 'ok', on: '2026-02-15' }));
      }
      const opened = await ok(post(`/api/v1/stations/${station.id}/open`, { openedOn: '2026-03-01' }));
      expect(opened).toMatchObject({ status: 'operating', openedOn: '2026-03-01' });
      expect(await ok(post(`/api/v1/stations/${station.id}/quality`, { ratedOn: '2026-03-02' }))).toMatchObject({ quality: true });
    });
  });

  describe('workforce', () => {
    it('validates the national ID number at the edge and refuses the same person twice', async () => {
      const bad = await post('/api/v1/workers', {
        name: '错号',
        level: 'village',
        phone: '13800000000',
        idNumber: '530626199001010110',
        hireDate: '2026-01-01',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('body.idNumber');
      const twice = await post('/api/v1/workers', {
        name: '重复',
        level: 'village',
        phone: '13800000000',
        idNumber: idNumber('1990-01-01', 13),
        hireDate: '2026-01-01',
      });
      expect(twice.statusCode).toBe(422);
      expect(twice.json().rule).toBe('worker.already_registered');
    });

    it('links towns and village workers, and records certificates', async () => {
      await ok(post(`/api/v1/workers/${ids.county}/town-links`, { townId: ids.town, from: '2026-01-01' }));
      await ok(post(`/api/v1/workers/${ids.townWorker}/village-worker-links`, { villageWorkerId: ids.vA, from: '2026-01-01' }));
      const certified = await ok(
        post(`/api/v1/workers/${ids.vA}/certifications`, { level: 'assistant', certificateNumber: 'ZS-2025-001', certifiedOn: '2025-10-01' }),
      );
      expect(certified.certificationLevel).toBe('assistant');
    });

    it('keeps exactly one responsible worker per group: a new one ends the previous in the same event', async () => {
      await ok(put(`/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2026-02-01' }));
      await ok(put(`/api/v1/groups/${ids.g2}/responsible-worker`, { workerId: ids.vA, from: '2026-02-01' }));
      const reassigned = await ok(put(`/api/v1/groups/${ids.g2}/responsible-worker`, { workerId: ids.vB, from: '2026-03-01' }));
      expect(reassigned.responsible).toEqual({ workerId: ids.vB, from: '2026-03-01' });
      const history = (await ok(get(`/api/v1/workers/${ids.vA}`))).responsibleFor;
      expect(history).toEqual(
        expect.arrayContaining([
          { groupId: ids.g1, from: '2026-02-01', to: null },
          { groupId: ids.g2, from: '2026-02-01', to: '2026-03-01' },
        ]),
      );
      const county = await put(`/api/v1/groups/${ids.g3}/responsible-worker`, { workerId: ids.county, from: '2026-03-01' });
      expect(county.statusCode).toBe(422);
      expect(county.json().rule).toBe('group.responsible_level_unfit');
    });

    it('masks ID numbers and phones for everyone but the employer', async () => {
      const full = await ok(get(`/api/v1/workers/${ids.vA}`));
      expect(full.idNumber).toBe(idNumber('1990-01-01', 13));
      const seenByTown = await ok(get(`/api/v1/workers/${ids.vA}`, bearer(t.token('town_worker', ids.townWorker))));
      expect(seenByTown.idNumber).toMatch(/^530626\*{10}\w{2}$/);
      expect(seenByTown.phone).toBe('138****0000');
    });
  });

  describe('jurisdiction', () => {
    it('lets a village worker see only the groups they are responsible for', async () => {
      const village = bearer(t.token('village_worker', ids.vA));
      expect((await get(`/api/v1/groups/${ids.g1}`, village)).statusCode).toBe(200);
      expect((await get(`/api/v1/groups/${ids.g2}`, village)).statusCode).toBe(403);
      const listed = await ok(get('/api/v1/groups', village));
      expect(listed.items.map((g: any) => g.id)).toEqual([ids.g1]);
    });

    it('lets a town worker see their town, and a county worker their linked towns only', async () => {
      const town = bearer(t.token('town_worker', ids.townWorker));
      expect((await get(`/api/v1/towns/${ids.town}`, town)).statusCode).toBe(200);
      expect((await get(`/api/v1/towns/${ids.otherTown}`, town)).statusCode).toBe(403);
      const county = bearer(t.token('county_worker', ids.county));
      expect((await ok(get('/api/v1/towns', county))).items.map((x: any) => x.id)).toEqual([ids.town]);
      expect((await get(`/api/v1/coverage?town=${ids.otherTown}`, county)).statusCode).toBe(403);
    });

    it('refuses writes from workers and read-only roles', async () => {
      for (const role of ['village_worker', 'town_worker', 'county_worker', 'auditor', 'evaluator'] as const) {
        const r = await put(`/api/v1/groups/${ids.g3}/responsible-worker`, { workerId: ids.vB, from: '2026-03-01' }, bearer(t.token(role)));
        expect(r.statusCode).toBe(403);
      }
    });
  });

  describe('coverage', () => {
    it('shows who covers every grid cell, the gaps, and the totals', async () => {
      const report = await ok(get('/api/v1/coverage?detail=groups'));
      expect(report.asOf).toBe('2026-03-02');
      const town = report.towns.find((x: any) => x.id === ids.town);
      expect(town.townStation).toMatchObject({ status: 'operating', quality: true });
      expect(town.linkedCountyWorkers).toEqual([{ workerId: ids.county, name: '县社工甲' }]);
      const g1 = town.villages.find((v: any) => v.id === ids.v1).groups.find((g: any) => g.id === ids.g1);
      expect(g1.responsibleWorker).toMatchObject({ workerId: ids.vA, level: 'village' });
      expect(g1.linkedTownWorkers).toEqual([{ workerId: ids.townWorker, name: '镇社工乙' }]);

      expect(report.gaps.groupsWithoutResponsibleWorker.map((g: any) => g.id)).toEqual([ids.g3]);
      expect(report.gaps.villagesWithoutOperatingServicePoint.map((v: any) => v.id).sort()).toEqual([ids.v1, ids.v2].sort());
      expect(report.gaps.townsWithoutLinkedCountyWorker.map((x: any) => x.id)).toEqual([ids.otherTown]);
      expect(report.totals).toMatchObject({
        towns: 2,
        villages: 2,
        groups: 3,
        groupsCovered: 2,
        stations: { operating: 1, planned: 0, townStationsQuality: 1 },
        workersByLevel: { county: 1, town: 1, village: 2 },
        certifiedWorkers: 1,
        certificationRate: 0.25,
      });
    });

    it('answers a village worker with their own groups only', async () => {
      const report = await ok(get('/api/v1/coverage?detail=groups', bearer(t.token('village_worker', ids.vA))));
      const groups = report.towns.flatMap((x: any) => x.villages.flatMap((v: any) => v.groups.map((g: any) => g.id)));
      expect(groups).toEqual([ids.g1]);
    });

    it('answers for a past date from the dated assignments', async () => {
      const report = await ok(get('/api/v1/coverage?date=2026-02-15&detail=groups'));
      const v1 = report.towns.find((x: any) => x.id === ids.town).villages.find((v: any) => v.id === ids.v1);
      expect(v1.groups.find((g: any) => g.id === ids.g2).responsibleWorker.workerId).toBe(ids.vA);
    });
  });

  describe('retiring and leaving', () => {
    it('refuses to retire a village with active groups, naming them', async () => {
      const r = await post(`/api/v1/villages/${ids.v2}/retire`, {});
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({ rule: 'village.has_open_responsibilities', openResponsibilities: [`group:${ids.g3}`] });
    });

    it('refuses a leaving worker who still has groups, then hands them over in one command', async () => {
      const refused = await post(`/api/v1/workers/${ids.vA}/leave`, { leftOn: '2026-03-31' });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().rule).toBe('worker.has_open_responsibilities');
      const handover = await ok(post(`/api/v1/workers/${ids.vA}/handover`, { toWorkerId: ids.vB, from: '2026-03-15' }));
      expect(handover).toEqual({ handedOver: [ids.g1], failed: [] });
      const left = await ok(post(`/api/v1/workers/${ids.vA}/leave`, { leftOn: '2026-03-31' }));
      expect(left).toMatchObject({ status: 'left', leftOn: '2026-03-31' });
      const townWorker = await ok(get(`/api/v1/workers/${ids.townWorker}`));
      expect(townWorker.links).toEqual([{ kind: 'town_worker_link', targetId: ids.vA, from: '2026-01-01', to: '2026-03-31' }]);
      expect((await ok(get(`/api/v1/groups/${ids.g1}`))).responsible.workerId).toBe(ids.vA); // today is 03-02: the handover starts 03-15
      const later = await ok(get('/api/v1/coverage?date=2026-03-20&detail=groups'));
      const g1 = later.towns
        .find((x: any) => x.id === ids.town)
        .villages.find((v: any) => v.id === ids.v1)
        .groups.find((g: any) => g.id === ids.g1);
      expect(g1.responsibleWorker.workerId).toBe(ids.vB);
    });
  });
});
