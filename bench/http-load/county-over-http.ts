/**
 * The demo county's world chapters loaded through the public REST API only (issue 20: "the
 * county year loaded through HTTP"), as the county's front ends would send them over 2023.
 *
 * The data is the generator's: the pure `plan…` functions of src/demo/chapters, so a seed and a
 * scale give the same towns, workers, households and visits as `npm run seed:demo`. Ids the
 * service draws (workers, households, people) come back in the answers and replace the planned
 * ones; ids derived from codes (towns, villages, groups, stations) are the same by construction.
 *
 * The county's year is replayed in story order: before the acts of a day are sent, the service's
 * clock is set to that day (`setToday`), as it was for the front ends that sent them, because the
 * service checks acts against its today (a visit may be recorded at most the schedule policy's
 * window late). The acts of one day run `inflight` at a time; the next day waits for them.
 *
 * The cases chapter follows the world: the generator's own story of the year's assistance cases
 * (src/demo/chapters/cases.ts) sent step by step through the REST API (story-steps-over-http.ts),
 * the cases side by side behind a day barrier (day-barrier.ts) that moves the clock only when
 * every running case waits for its next day.
 *
 * The imports chapter follows: the bureau's batches of other departments' data, and each finding's
 * task answered by the worker responsible for its group on the day (story-steps-over-http.ts).
 *
 * Then the community chapter (volunteers, teams, projects, donations, service activities) and the
 * assessments chapter (the evaluation committee's scores, their publication and the rewards that
 * follow): every chapter of `npm run seed:demo`, in its order.
 */
import type { Role } from '../../src/application/actor';
import { normalizeNationalId } from '../../src/domain/shared/national-id';
import { stationIdFor } from '../../src/application/stations/stations.service';
import { STANDARD_ITEMS, STANDARD_ITEM_LABELS } from '../../src/domain/stations/standard';
import { planGeography } from '../../src/demo/chapters/geography';
import { planHouseholds, type PlannedHousehold } from '../../src/demo/chapters/households-plan';
import { visitMonths } from '../../src/demo/chapters/visits';
import { planVisits } from '../../src/demo/chapters/visits-plan';
import { fillWorld, planWorkforce, HANDOVER_ON } from '../../src/demo/chapters/workforce';
import type { DemoScale, DemoWorld } from '../../src/demo/context';
import { DEMO_ADMIN } from '../../src/demo/demo-actors';
import { inParallel } from '../../src/demo/parallel';
import { DEMO_COUNTY_CODE } from '../../src/demo/seed-constants';
import { planningContext } from '../../src/demo/planning-context';
import type { HttpLoadClient } from './http-client';
import { MAX_ITEMS_PER_BATCH } from '../../src/http/batch-items';
import { runCases } from '../../src/demo/chapters/cases';
import { toWorld } from '../../src/demo/chapters/households';
import { runImports } from '../../src/demo/chapters/imports';
import { runAssessments } from '../../src/demo/chapters/assessments';
import { runCommunity } from '../../src/demo/chapters/community';
import { assessmentStepsOverHttp, caseStepsOverHttp, communityStepsOverHttp, importStepsOverHttp, storySender } from './story-steps-over-http';
import { DayBarrier } from './day-barrier';

export const HTTP_CHAPTERS = ['geography', 'workforce', 'households', 'visits', 'cases', 'imports', 'community', 'assessments'] as const;
export type HttpChapter = (typeof HTTP_CHAPTERS)[number];

export interface HttpLoadOptions {
  client: HttpLoadClient;
  scale: Exclude<DemoScale, 'province'>;
  seed: string;
  /** A bearer token for a subject and role, signed as the service's sign-in would. */
  sign: (sub: string, role: Role) => string | Promise<string>;
  /** Sets the service's clock to a county day before that day's acts are sent. */
  setToday: (day: string) => void | Promise<void>;
  /**
   * Households and visits in batches, as a station enters a survey (POST /households/batch: a
   * village's households of a day) and a worker's app syncs (POST /visits/batch: a worker's visits
   * entered on one day), the default; or one request each (POST /households, POST /visits).
   */
  writes?: 'batch' | 'single';
  /** Notes on the run for the bench's reader (how often the cases chapter moved the clock). */
  log?: (line: string) => void;
  /** Called after each chapter (the bench counts the events appended there). */
  afterChapter?: (chapter: HttpChapter, requests: number, ms: number) => Promise<void>;
  /** The last chapter to send (the chapters before it are sent too: each needs the ones before); all when absent. */
  until?: HttpChapter;
}

/** Thrown past the chapters once the `until` chapter is done. */
class UntilReached extends Error {}

/** One act of the story: requests sent one after another, on a county day, in a wave of that day. */
interface Act {
  on: string;
  wave: number;
  /**
   * Acts of a day and wave that write the same stream (a worker's links) run one after another
   * in their lane, as the generator runs them: together they would meet a 409 version conflict.
   */
  lane?: string;
  run: () => Promise<void>;
}

const SET_UP_ON = '2023-01-03';
const ENTERED_ON = '2023-01-04';
const IN_FORCE_FROM = '2023-01-01';

/**
 * Sends the acts day by day (and, within a day, wave by wave: a station's items before it opens),
 * `inflight` at a time; the clock is set to each day first.
 */
async function replay(options: HttpLoadOptions, acts: Act[]): Promise<void> {
  const byStep = new Map<string, Act[]>();
  for (const act of acts) {
    const key = `${act.on}#${String(act.wave).padStart(3, '0')}`;
    const step = byStep.get(key);
    if (step) step.push(act);
    else byStep.set(key, [act]);
  }
  for (const key of [...byStep.keys()].sort()) {
    await options.setToday(key.slice(0, 10));
    const lanes = new Map<string, Act[]>();
    byStep.get(key)!.forEach((act, i) => {
      const lane = act.lane ?? `#${i}`;
      lanes.set(lane, [...(lanes.get(lane) ?? []), act]);
    });
    await inParallel([...lanes.values()], options.client.inflight, async (acts) => {
      for (const act of acts) await act.run();
    });
  }
}

export async function loadCountyOverHttp(options: HttpLoadOptions): Promise<void> {
  try {
    await loadChapters(options);
  } catch (error) {
    if (!(error instanceof UntilReached)) throw error;
  }
}

async function loadChapters(options: HttpLoadOptions): Promise<DemoWorld> {
  const { client, sign } = options;
  const ctx = planningContext({ scale: options.scale, seed: options.seed, countyCode: DEMO_COUNTY_CODE });
  const admin = await sign(DEMO_ADMIN.id, 'admin');
  const timed = async (name: HttpChapter, run: () => Promise<void>) => {
    const started = Date.now();
    client.takeCount();
    await run();
    await options.afterChapter?.(name, client.takeCount(), Date.now() - started);
    if (name === options.until) throw new UntilReached();
  };
  const chapter = (name: HttpChapter, acts: () => Act[]) => timed(name, () => replay(options, acts()));

  // ── geography: one bulk import of the map (as the bureau's spreadsheet), then the stations ──
  const geo = planGeography(ctx);
  ctx.world.towns.push(...geo.towns);
  ctx.world.villages.push(...geo.villages);
  ctx.world.groups.push(...geo.groups);
  await chapter('geography', () => [
    {
      on: SET_UP_ON,
      wave: 0,
      run: async () => {
        const rows = [
          ...geo.towns.map((t) => ({ kind: 'town', code: t.code, name: t.name })),
          ...geo.villages.map((v) => ({
            kind: 'village',
            code: v.code,
            name: v.name,
            parentCode: geo.towns.find((t) => t.id === v.townId)!.code,
            villageKind: v.kind,
          })),
          ...geo.groups.map((g) => ({ kind: 'group', code: g.code, name: g.name, parentCode: geo.villages.find((v) => v.id === g.villageId)!.code })),
        ];
        const report = await client.post<{ rejected: unknown[] }>('/api/v1/geography/import', admin, rows);
        if (report.rejected.length) throw new Error(`geography import rejected ${report.rejected.length} rows: ${JSON.stringify(report.rejected[0])}`);
      },
    },
    ...geo.stations.flatMap((s): Act[] => {
      const unit = s.villageId ? { villageId: s.villageId } : { townId: s.townId! };
      const id = stationIdFor(unit);
      return [
        { on: SET_UP_ON, wave: 1, run: async () => void (await client.post(`/api/v1/stations`, admin, { ...unit, name: s.name })) },
        {
          on: s.openedOn,
          wave: 2,
          run: async () => {
            for (const item of STANDARD_ITEMS) {
              const met = !s.unmet.includes(item);
              const note = met ? `${STANDARD_ITEM_LABELS[item]}：已达标` : `${STANDARD_ITEM_LABELS[item]}：尚未达标`;
              await client.put(`/api/v1/stations/${id}/standard/${item}`, admin, { met, note, on: s.openedOn });
            }
            if (s.unmet.length === 0) await client.post(`/api/v1/stations/${id}/open`, admin, { openedOn: s.openedOn });
          },
        },
        ...(s.quality
          ? [
              {
                on: '2023-06-30',
                wave: 3,
                run: async () => void (await client.post(`/api/v1/stations/${id}/quality`, admin, { ratedOn: '2023-06-30', note: '县民政局评定为优质社工站' })),
              },
            ]
          : []),
      ];
    }),
  ]);

  // ── workforce: hires, certificates, links, 包保, the handover, trainings, mentoring, officials ──
  const staff = planWorkforce(ctx);
  fillWorld(ctx, staff);
  /** Planned worker id → the id the service gave. */
  const workerIds = new Map<string, string>();
  const worker = (planned: string) => {
    const id = workerIds.get(planned);
    if (!id) throw new Error(`worker ${planned} was not registered`);
    return id;
  };
  /** Planned official id → the id the service gave. */
  const officialIds = new Map<string, string>();
  await chapter('workforce', () => [
    ...staff.workers.flatMap((w): Act[] => {
      const posting = w.villageId ? { villageId: w.villageId } : w.level === 'town' && w.townId ? { townId: w.townId } : undefined;
      const c = w.certification;
      return [
        {
          on: ENTERED_ON,
          wave: 0,
          run: async () => {
            const body = {
              name: w.name,
              level: w.level === 'support' ? 'county' : w.level,
              phone: w.phone,
              idNumber: w.idNumber,
              hireDate: w.hireDate,
              ...(posting ? { posting } : {}),
            };
            workerIds.set(w.id, (await client.post<{ id: string }>('/api/v1/workers', admin, body)).id);
          },
        },
        ...(c
          ? [
              {
                on: c.on > ENTERED_ON ? c.on : ENTERED_ON,
                wave: 1,
                run: async () =>
                  void (await client.post(`/api/v1/workers/${worker(w.id)}/certifications`, admin, {
                    level: c.level,
                    certificateNumber: c.number,
                    certifiedOn: c.on,
                  })),
              },
            ]
          : []),
      ];
    }),
    ...staff.townLinks.map((l) => ({
      on: ENTERED_ON,
      wave: 2,
      lane: `worker:${l.workerId}`,
      run: async () => void (await client.post(`/api/v1/workers/${worker(l.workerId)}/town-links`, admin, { townId: l.townId, from: IN_FORCE_FROM })),
    })),
    ...staff.villageLinks.map((l) => ({
      on: ENTERED_ON,
      wave: 2,
      lane: `worker:${l.workerId}`,
      run: async () =>
        void (await client.post(`/api/v1/workers/${worker(l.workerId)}/village-worker-links`, admin, {
          villageWorkerId: worker(l.villageWorkerId),
          from: IN_FORCE_FROM,
        })),
    })),
    ...[...staff.responsibility].map(([groupId, workerId]) => ({
      on: ENTERED_ON,
      wave: 2,
      run: async () => void (await client.put(`/api/v1/groups/${groupId}/responsible-worker`, admin, { workerId: worker(workerId), from: IN_FORCE_FROM })),
    })),
    ...staff.officials.map((o) => ({
      on: ENTERED_ON,
      wave: 2,
      lane: 'officials',
      run: async () =>
        void officialIds.set(
          o.id,
          (await client.post<{ id: string }>('/api/v1/officials', admin, { name: o.name, role: o.role, townId: o.townId, from: IN_FORCE_FROM })).id,
        ),
    })),
    ...(staff.handover
      ? [
          {
            on: HANDOVER_ON,
            wave: 3,
            run: async () => {
              const h = staff.handover!;
              const result = await client.post<{ failed: unknown[] }>(`/api/v1/workers/${worker(h.fromWorkerId)}/handover`, admin, {
                toWorkerId: worker(h.toWorkerId),
                from: HANDOVER_ON,
              });
              if (result.failed.length) throw new Error(`handover failed for ${result.failed.length} groups`);
            },
          },
        ]
      : []),
    ...staff.trainings.map((t) => ({
      on: t.heldOn,
      wave: 3,
      lane: 'trainings',
      run: async () =>
        void (await client.post('/api/v1/training-sessions', admin, {
          title: t.title,
          heldOn: t.heldOn,
          kind: t.kind,
          attendeeIds: t.attendeeIds.map(worker),
        })),
    })),
    ...staff.mentoring.map((m) => ({
      on: m.from,
      wave: 3,
      lane: 'mentoring',
      run: async () => void (await client.post('/api/v1/mentoring-pairs', admin, { mentorId: worker(m.mentorId), menteeId: worker(m.menteeId), from: m.from })),
    })),
  ]);

  // ── households: the ledger (台账) entered in January, each with its special groups ──
  const households = planHouseholds(ctx, ctx.world.groups);
  /** Planned household id → the ids the service gave (the household's, and its members' by ID number). */
  const householdIds = new Map<string, Registered>();
  await chapter('households', () =>
    (options.writes ?? 'batch') === 'single'
      ? households.map((h) => ({ on: h.registeredOn, wave: 0, run: () => registerHousehold(client, admin, h, householdIds) }))
      : surveys(households).map((survey) => ({ on: survey.on, wave: 0, run: () => registerSurvey(client, admin, survey.households, householdIds) })),
  );
  const household = (planned: string) => {
    const registered = householdIds.get(planned);
    if (!registered) throw new Error(`household ${planned} was not registered`);
    return registered;
  };

  // ── visits: each worker records their own, on the day they entered it ──
  const visits = planVisits(ctx, households, visitMonths(options.scale));
  const levels = new Map(ctx.world.workers.map((w) => [w.id, w.level]));
  const tokens = new Map<string, string>();
  for (const w of new Set(visits.map((v) => v.workerId))) {
    const role: Role = levels.get(w) === 'town' ? 'town_worker' : 'village_worker';
    tokens.set(w, await sign(worker(w), role));
  }
  const visitBody = (v: (typeof visits)[number]) => ({
    ...(v.householdId ? { householdId: household(v.householdId).id } : { groupId: v.groupId }),
    date: v.date,
    kind: v.kind,
    findings: v.findings,
    followUpActions: v.followUpActions,
    peopleServed: v.peopleServed,
  });
  await chapter('visits', () =>
    (options.writes ?? 'batch') === 'single'
      ? visits.map((v) => ({ on: v.recordedOn, wave: 0, run: async () => void (await client.post('/api/v1/visits', tokens.get(v.workerId)!, visitBody(v))) }))
      : syncs(visits).map((sync) => ({
          on: sync.on,
          wave: 0,
          run: async () => {
            const body = sync.visits.map((v, i) => ({ key: `${sync.on}/${i}`, ...visitBody(v) }));
            for (let from = 0; from < body.length; from += MAX_ITEMS_PER_BATCH) {
              const answer = await client.post<{ refused: number; items: { key: string; problem?: unknown }[] }>(
                '/api/v1/visits/batch',
                tokens.get(sync.workerId)!,
                { visits: body.slice(from, from + MAX_ITEMS_PER_BATCH) },
              );
              if (answer.refused > 0) throw new Error(`visits sync refused ${answer.refused}: ${JSON.stringify(answer.items.find((i) => i.problem))}`);
            }
          },
        })),
  );

  // ── cases: the rules, the towns' funds, the named stories, then the year's cases side by side ──
  // The generator's own stories (src/demo/chapters) over the REST API, this one and the three after
  // it: its world with the ids the service gave (the stories' case ids it records are the ones the
  // service answered).
  const storyWorld: DemoWorld = {
    ...ctx.world,
    workers: ctx.world.workers.map((w) => ({ ...w, id: worker(w.id) })),
    officials: ctx.world.officials.map((o) => {
      const id = officialIds.get(o.id);
      if (!id) throw new Error(`official ${o.id} was not appointed`);
      return { ...o, id };
    }),
    households: households.map((h) => {
      const registered = household(h.id);
      return toWorld({ ...h, id: registered.id }, registered.personIds);
    }),
    stories: { ...ctx.world.stories },
  };
  const story = { ...ctx, world: storyWorld };
  const barrier = new DayBarrier(options.setToday);
  const sender = storySender(client, sign, barrier);
  await timed('cases', async () => void (await runCases(story, caseStepsOverHttp(sender, admin))));
  options.log?.(`cases: the clock moved ${barrier.moves.forward} times forward and ${barrier.moves.back} times back`);

  // ── imports: other departments' batches through the year, each finding's task answered (or not) ──
  await timed('imports', async () => void (await runImports(story, importStepsOverHttp(sender))));

  // ── community: volunteers and their teams, projects, donations, the year's service activities ──
  await timed('community', async () => void (await runCommunity(story, communityStepsOverHttp(sender))));

  // ── assessments: the committee scores every worker for both halves, publishes the first, records rewards ──
  await timed('assessments', async () => void (await runAssessments(story, assessmentStepsOverHttp(sender))));
  return ctx.world;
}

/** A household as the service registered it: its id, and its members' person ids by (planned) ID number. */
interface Registered {
  id: string;
  personIds: Map<string, string>;
}

const registration = (h: PlannedHousehold) => ({
  groupId: h.group.id,
  address: h.address,
  incomeStability: h.incomeStability,
  members: h.members.map(({ age: _age, ...m }) => m),
});

async function registerHousehold(client: HttpLoadClient, admin: string, h: PlannedHousehold, ids: Map<string, Registered>): Promise<void> {
  const registered = await client.post<{ id: string; members: { personId: string; idNumber: string }[] }>('/api/v1/households', admin, registration(h));
  const personOf = (member: number) => {
    const idNumber = normalizeNationalId(h.members[member]!.idNumber);
    return registered.members.find((r) => r.idNumber === idNumber)?.personId;
  };
  ids.set(h.id, { id: registered.id, personIds: personIdsOf(h, personOf) });
  await joinSpecialGroups(client, admin, h, registered.id, personOf);
}

function personIdsOf(h: PlannedHousehold, personOf: (member: number) => string | undefined): Map<string, string> {
  const ids = new Map<string, string>();
  h.members.forEach((m, i) => {
    const personId = personOf(i);
    if (personId) ids.set(m.idNumber, personId);
  });
  return ids;
}

/** A survey's households in batches of POST /households/batch, then each household's special groups. */
async function registerSurvey(client: HttpLoadClient, admin: string, survey: readonly PlannedHousehold[], ids: Map<string, Registered>): Promise<void> {
  for (let from = 0; from < survey.length; from += MAX_ITEMS_PER_BATCH) {
    const part = survey.slice(from, from + MAX_ITEMS_PER_BATCH);
    const answer = await client.post<{ refused: number; items: { household?: { householdId: string; personIds: string[] }; problem?: unknown }[] }>(
      '/api/v1/households/batch',
      admin,
      { households: part.map((h) => ({ key: h.label, ...registration(h) })) },
    );
    if (answer.refused > 0) throw new Error(`household survey refused ${answer.refused}: ${JSON.stringify(answer.items.find((i) => i.problem)?.problem)}`);
    for (const [i, h] of part.entries()) {
      const registered = answer.items[i]!.household!;
      ids.set(h.id, { id: registered.householdId, personIds: personIdsOf(h, (member) => registered.personIds[member]) });
      await joinSpecialGroups(client, admin, h, registered.householdId, (member) => registered.personIds[member]);
    }
  }
}

async function joinSpecialGroups(
  client: HttpLoadClient,
  admin: string,
  h: PlannedHousehold,
  householdId: string,
  personIdOf: (member: number) => string | undefined,
): Promise<void> {
  for (const m of h.memberships) {
    const personId = m.member === null ? null : personIdOf(m.member);
    if (personId === undefined) throw new Error(`household ${h.label}: a member of ${m.group} did not come back`);
    await client.post(`/api/v1/households/${householdId}/special-groups`, admin, { group: m.group, personId, riskLevel: m.riskLevel, from: m.from });
  }
}

/** The households a village's station entered on one day: one survey sent together. */
function surveys(households: readonly PlannedHousehold[]): { on: string; households: PlannedHousehold[] }[] {
  const byVillageDay = new Map<string, { on: string; households: PlannedHousehold[] }>();
  for (const h of households) {
    const key = `${h.group.villageId}|${h.registeredOn}`;
    const survey = byVillageDay.get(key);
    if (survey) survey.households.push(h);
    else byVillageDay.set(key, { on: h.registeredOn, households: [h] });
  }
  return [...byVillageDay.values()];
}

/** A worker's visits entered on one day: what their app sends in one sync. */
function syncs<V extends { workerId: string; recordedOn: string }>(visits: readonly V[]): { workerId: string; on: string; visits: V[] }[] {
  const byWorkerDay = new Map<string, { workerId: string; on: string; visits: V[] }>();
  for (const v of visits) {
    const key = `${v.workerId}|${v.recordedOn}`;
    const sync = byWorkerDay.get(key);
    if (sync) sync.visits.push(v);
    else byWorkerDay.set(key, { workerId: v.workerId, on: v.recordedOn, visits: [v] });
  }
  return [...byWorkerDay.values()];
}
