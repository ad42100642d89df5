import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRng } from '../../src/demo/rng';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { loadScale } from '../support/load-scale';
import { availableBackends } from '../support/test-database';

/**
 * The coverage read model against its oracle: a seeded random county lived day by day over
 * eight months (handovers, stations planned, opened on later days and rated, links made and
 * ended, certificates, training, mentoring, workers leaving, groups added and retired, visits
 * near month ends and starts), and on many days the coverage report read from the read model and
 * computed at query time (`?source=query`, today's old path) must be the same, county-wide, per
 * town and village, for a later day, and as a town and a village worker see it.
 */
type Created = { id: string };
type Report = { asOf: string; towns: unknown[]; gaps: unknown; totals: Record<string, unknown> };
const ok = <T>(reply: Parameters<typeof expectStatus>[0], status?: number): Promise<T> => expectStatus(reply, status) as Promise<T>;

const STANDARD = ['venue', 'equipment', 'staff', 'service_functions', 'workflows', 'rules'] as const;

describe.each(await availableBackends())('the coverage read model equals the query-time coverage on %s', (backend) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const rng = seededRng('issue-20-coverage-oracle', backend);
  const towns: { id: string; townWorker: string; stations: string[] }[] = [];
  const villages: { id: string; townId: string; groups: string[]; workers: string[] }[] = [];
  const households: string[] = [];
  const countyWorkers: string[] = [];
  const links: { worker: string; path: string; target: string }[] = [];
  const pairs: string[] = [];
  let seq = 200;
  let day = '2025-05-05';
  let compared = 0;

  const setDay = (d: string) => {
    day = d;
    t.clock.set(`${d}T02:00:00.000Z`);
  };
  const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const expectNo5xx = (res: { statusCode: number; body: string }) => expect(res.statusCode, res.body).toBeLessThan(500);

  async function compare(query: string, headers = admin) {
    // The whole tree (a summary is cut from it the same way for both sources: coverage-summary.unit.test.ts).
    const q = query ? `${query}&detail=groups` : 'detail=groups';
    const fromModel = await ok<Report>(call('GET', `/api/v1/coverage?${q}`, undefined, headers));
    const queried = await ok<Report>(call('GET', `/api/v1/coverage?${q}&source=query`, undefined, headers));
    expect(fromModel, `coverage?${q} on ${day}`).toEqual(queried);
    compared++;
  }

  const hire = async (level: 'county' | 'town' | 'village', posting?: object) =>
    (
      await ok<Created>(
        call('POST', '/api/v1/workers', {
          name: `社工${seq}`,
          level,
          phone: '13900000000',
          idNumber: idNumber('1986-04-04', seq++),
          hireDate: addDays(day, -rng.int(0, 3)),
          ...(posting ? { posting } : {}),
        }),
        201,
      )
    ).id;

  beforeAll(async () => {
    t = await startTestApp({ backend });
    setDay(day);
    admin = bearer(t.token('admin'));
    for (let n = 1; n <= 2; n++) {
      const town = (await ok<Created>(call('POST', '/api/v1/towns', { code: `53062610${n}`, name: `镇${n}` }), 201)).id;
      towns.push({ id: town, townWorker: await hire('town', { townId: town }), stations: [] });
      for (let v = 1; v <= 2; v++) {
        const village = (await ok<Created>(call('POST', '/api/v1/villages', { townId: town, code: `53062610${n}20${v}`, name: `${n}镇${v}村` }), 201)).id;
        const groups: string[] = [];
        for (let g = 1; g <= 3; g++)
          groups.push(
            (await ok<Created>(call('POST', '/api/v1/groups', { villageId: village, code: `53062610${n}20${v}00${g}`, name: `${v}村${g}组` }), 201)).id,
          );
        villages.push({
          id: village,
          townId: town,
          groups,
          workers: [await hire('village', { villageId: village }), await hire('village', { villageId: village })],
        });
      }
    }
    countyWorkers.push(await hire('county'), await hire('county'));
  }, 120_000 * loadScale());
  afterAll(async () => t?.close());

  const future = (max: number) => addDays(day, rng.int(0, max));

  async function act() {
    const roll = rng.next();
    const village = rng.pick(villages);
    const town = towns.find((x) => x.id === village.townId)!;
    if (roll < 0.1) {
      const res = await call('PUT', `/api/v1/groups/${rng.pick(village.groups)}/responsible-worker`, { workerId: rng.pick(village.workers), from: future(4) });
      return expectNo5xx(res);
    }
    if (roll < 0.14) {
      const res = await call('POST', '/api/v1/stations', rng.chance(0.3) ? { townId: town.id, name: '社工站' } : { villageId: village.id, name: '服务点' });
      expectNo5xx(res);
      if (res.statusCode === 201) town.stations.push(res.json<Created>().id);
      return;
    }
    if (roll < 0.18 && town.stations.length > 0) {
      const station = rng.pick(town.stations);
      for (const item of STANDARD) expectNo5xx(await call('PUT', `/api/v1/stations/${station}/standard/${item}`, { met: true, note: '达标', on: day }));
      expectNo5xx(await call('POST', `/api/v1/stations/${station}/open`, { openedOn: future(6) }));
      if (rng.chance(0.5)) expectNo5xx(await call('POST', `/api/v1/stations/${station}/quality`, { ratedOn: day }));
      return;
    }
    if (roll < 0.22) {
      const worker = rng.pick(countyWorkers);
      const res = await call('POST', `/api/v1/workers/${worker}/town-links`, { townId: town.id, from: future(3) });
      expectNo5xx(res);
      if (res.statusCode === 200) links.push({ worker, path: 'town-links', target: town.id });
      return;
    }
    if (roll < 0.26) {
      const target = rng.pick(village.workers);
      const res = await call('POST', `/api/v1/workers/${town.townWorker}/village-worker-links`, { villageWorkerId: target, from: future(3) });
      expectNo5xx(res);
      if (res.statusCode === 200) links.push({ worker: town.townWorker, path: 'village-worker-links', target });
      return;
    }
    if (roll < 0.29 && links.length > 0) {
      const link = rng.pick(links);
      return expectNo5xx(await call('POST', `/api/v1/workers/${link.worker}/${link.path}/${link.target}/end`, { to: future(5) }));
    }
    if (roll < 0.32) {
      const worker = rng.pick([...village.workers, town.townWorker, ...countyWorkers]);
      return expectNo5xx(
        await call('POST', `/api/v1/workers/${worker}/certifications`, {
          level: 'assistant',
          certificateNumber: `ZS-${seq++}`,
          certifiedOn: addDays(day, rng.int(-30, 0)),
        }),
      );
    }
    if (roll < 0.34) {
      return expectNo5xx(
        await call('POST', '/api/v1/training-sessions', {
          title: '培训',
          heldOn: addDays(day, rng.int(-10, 10)),
          kind: rng.pick(['all_staff', 'video', 'external']),
        }),
      );
    }
    if (roll < 0.36) {
      const [mentor, mentee] = village.workers as [string, string];
      const res = await call('POST', '/api/v1/mentoring-pairs', { mentorId: mentor, menteeId: mentee, from: addDays(day, rng.int(-5, 5)) });
      expectNo5xx(res);
      if (res.statusCode === 201) pairs.push(res.json<Created>().id);
      return;
    }
    if (roll < 0.37 && pairs.length > 0) return expectNo5xx(await call('POST', `/api/v1/mentoring-pairs/${rng.pick(pairs)}/end`, { to: future(10) }));
    if (roll < 0.39) {
      // A new village worker takes over every group of one who leaves.
      const leaving = village.workers.shift()!;
      const joining = await hire('village', { villageId: village.id });
      village.workers.push(joining);
      const from = future(3);
      expectNo5xx(await call('POST', `/api/v1/workers/${leaving}/handover`, { toWorkerId: joining, from }));
      return expectNo5xx(await call('POST', `/api/v1/workers/${leaving}/leave`, { leftOn: addDays(from, 1) }));
    }
    if (roll < 0.41) {
      const code = `${village.groups.length}${seq++}`;
      const res = await call('POST', '/api/v1/groups', { villageId: village.id, code: `G${code}`, name: `新${code}组` });
      expectNo5xx(res);
      if (res.statusCode === 201) village.groups.push(res.json<Created>().id);
      return;
    }
    if (roll < 0.42 && village.groups.length > 2) {
      const group = village.groups.pop()!;
      const ended = await call('POST', `/api/v1/groups/${group}/responsible-worker/end`, { to: day });
      expectNo5xx(ended);
      return expectNo5xx(await call('POST', `/api/v1/groups/${group}/retire`, {}));
    }
    if (roll < 0.5 || households.length < 3) {
      const res = await call('POST', '/api/v1/households', {
        groupId: rng.pick(village.groups),
        members: [{ name: `户主${seq}`, idNumber: idNumber('1961-02-02', seq++), relation: 'head', labourCapacity: 'full' }],
      });
      expectNo5xx(res);
      if (res.statusCode === 201) households.push(res.json<Created>().id);
      return;
    }
    // Visits, some backdated over the month boundary.
    const target = rng.chance(0.7) ? { householdId: rng.pick(households) } : { groupId: rng.pick(village.groups) };
    return expectNo5xx(
      await call('POST', '/api/v1/visits', {
        ...target,
        workerId: rng.pick(village.workers),
        date: addDays(day, -rng.int(0, 6)),
        kind: 'routine',
        findings: '正常',
        peopleServed: rng.int(0, 4),
      }),
    );
  }

  it(
    'gives the same report county-wide, per town and village, on a later day and in a worker’s jurisdiction, over eight months',
    async () => {
      for (let step = 0; step < 60; step++) {
        // Days near month ends and starts, so month roll-over is read often.
        setDay(addDays(day, rng.chance(0.5) ? rng.int(1, 3) : rng.int(3, 9)));
        for (let n = rng.int(2, 7); n > 0; n--) await act();
        await compare('');
        if (step % 4 === 0) {
          const village = rng.pick(villages);
          await compare(`town=${village.townId}`);
          await compare(`village=${village.id}`);
          await compare(`date=${addDays(day, rng.int(1, 40))}`);
          await compare('', bearer(t.token('village_worker', rng.pick(village.workers))));
          await compare('', bearer(t.token('town_worker', towns.find((x) => x.id === village.townId)!.townWorker)));
        }
      }
      const last = await ok<Report>(call('GET', '/api/v1/coverage'));
      expect(last.totals.groupsCovered).toBeGreaterThan(0);
      expect(last).toEqual(await ok<Report>(call('GET', '/api/v1/coverage?source=query')));
      expect(households.length).toBeGreaterThan(10);
      expect(compared).toBeGreaterThan(100);
    },
    300_000 * loadScale(),
  );
});
