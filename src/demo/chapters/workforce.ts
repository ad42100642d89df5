import { deterministicUuid } from '../../application/ids';
import type { CertificationLevel } from '../../domain/workforce/worker.events';
import { workerStreamId } from '../../domain/workforce/worker.events';
import type { DemoChapter, DemoContext, DemoGroup, DemoOfficial, DemoWorker } from '../context';
import { DEMO_ADMIN } from '../demo-actors';
import { birthDateForAge, NationalIdAllocator } from '../national-ids';
import { personName } from '../names';
import { inParallel } from '../parallel';
import { profileFor } from '../scale-profile';
import { DEMO_COUNTY_CODE } from '../seed-constants';
import { planGeography } from './geography';

/** The bureau enters its staff into the new system in the first week of 2023. */
const ENTERED_ON = '2023-01-04';
/** Links and 包保 in force from the start of the year. */
const IN_FORCE_FROM = '2023-01-01';
/** Mid-year: one village worker's groups go to a colleague in the same village. */
export const HANDOVER_ON = '2023-07-01';

interface PlannedWorker extends DemoWorker {
  label: string;
  hireDate: string;
  idNumber: string;
  phone: string;
  certification: { level: CertificationLevel; number: string; on: string } | null;
}

export interface WorkforcePlan {
  workers: PlannedWorker[];
  /** county worker → towns (挂联) */
  townLinks: { workerId: string; townId: string }[];
  /** town worker → village workers */
  villageLinks: { workerId: string; villageWorkerId: string }[];
  /** group → its responsible worker from the start of the year */
  responsibility: Map<string, string>;
  handover: { fromWorkerId: string; toWorkerId: string; groupIds: string[] } | null;
  trainings: { label: string; title: string; heldOn: string; kind: 'all_staff' | 'video'; attendeeIds: string[] }[];
  mentoring: { label: string; mentorId: string; menteeId: string; from: string }[];
  officials: (DemoOfficial & { label: string; name: string })[];
}

const commandIdOf = (ctx: Pick<DemoContext, 'at'>, label: string) => ctx.at(ENTERED_ON, label).commandId;
const date = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** Split `total` into `parts` near-equal whole shares, larger ones first. */
const shares = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/** Who works where, from the seed and the map alone (ids derive from the command labels). */
export function planWorkforce(ctx: Pick<DemoContext, 'rng' | 'scale' | 'countyCode' | 'at'>): WorkforcePlan {
  const profile = profileFor(ctx.scale);
  const geo = planGeography(ctx);
  const rng = ctx.rng('workforce');
  const ids = new NationalIdAllocator(ctx.countyCode ?? DEMO_COUNTY_CODE, 900, 999);
  const workers: PlannedWorker[] = [];
  const add = (level: DemoWorker['level'], townId: string | null, villageId: string | null) => {
    const n = workers.length + 1;
    const label = `worker:${n}`;
    const sex = rng.chance(0.6) ? 'female' : 'male';
    const birthDate = birthDateForAge(rng.int(23, 52), '2023-01-01', rng.int(0, 364));
    const worker: PlannedWorker = {
      id: deterministicUuid(`worker:${commandIdOf(ctx, label)}`),
      level,
      townId,
      villageId,
      name: personName(rng, sex),
      certified: false,
      label,
      hireDate: rng.chance(0.85) ? date(2022, rng.int(3, 12), rng.int(1, 28)) : date(2023, 1, rng.int(1, 3)),
      idNumber: ids.next(birthDate, sex),
      phone: `170${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      certification: null,
    };
    workers.push(worker);
    return worker;
  };

  const { county, town, village, support, certified } = profile.workers;
  const countyWorkers = Array.from({ length: county }, () => add('county', null, null));
  const townsShare = shares(town, geo.towns.length);
  const townWorkers = geo.towns.flatMap((t, i) => Array.from({ length: townsShare[i]! }, () => add('town', t.id, null)));
  // 47 village workers for 43 villages: every village has one, the largest few a second.
  const groupsPer = new Map(geo.villages.map((v) => [v.id, geo.groups.filter((g) => g.villageId === v.id).length]));
  const biggest = [...geo.villages].sort((a, b) => groupsPer.get(b.id)! - groupsPer.get(a.id)! || a.code.localeCompare(b.code));
  const villageSlots = [...geo.villages, ...biggest.slice(0, Math.max(0, village - geo.villages.length))];
  const villageWorkers = villageSlots.slice(0, village).map((v) => add('village', v.townId, v.id));
  // Support staff (finance, administration) are county-level with no towns linked: the worker
  // model has no support level, and this keeps them out of every jurisdiction.
  const supportWorkers = Array.from({ length: support }, () => add('support', null, null));

  // 33 of 70 certified: both county workers, then town workers before village workers.
  const order = [...countyWorkers, ...rng.shuffle(townWorkers), ...rng.shuffle(villageWorkers), ...supportWorkers];
  for (const w of order.slice(0, certified)) {
    w.certified = true;
    const year = rng.pick([2019, 2020, 2021, 2022, 2022, 2023]);
    const level: CertificationLevel = w.level === 'county' && rng.chance(0.5) ? 'social_worker' : rng.chance(0.25) ? 'social_worker' : 'assistant';
    w.certification = {
      level,
      number: `${level === 'assistant' ? 'A' : 'B'}${year}53${String(rng.int(0, 999_999)).padStart(6, '0')}`,
      on: year === 2023 ? date(2023, rng.int(2, 11), rng.int(1, 28)) : date(year, 11, rng.int(1, 28)),
    };
  }

  const townLinks = geo.towns.map((t, i) => ({
    workerId: countyWorkers[Math.min(countyWorkers.length - 1, Math.floor((i * countyWorkers.length) / geo.towns.length))]!.id,
    townId: t.id,
  }));
  const villageLinks: WorkforcePlan['villageLinks'] = [];
  for (const t of geo.towns) {
    const mine = townWorkers.filter((w) => w.townId === t.id);
    const theirs = villageWorkers.filter((w) => w.townId === t.id);
    theirs.forEach((vw, i) => villageLinks.push({ workerId: mine[i % mine.length]!.id, villageWorkerId: vw.id }));
  }

  // 包保: each village's groups are shared between its village workers, in code order.
  const responsibility = new Map<string, string>();
  for (const v of geo.villages) {
    const mine = villageWorkers.filter((w) => w.villageId === v.id);
    const groups = geo.groups.filter((g) => g.villageId === v.id);
    const cut = shares(groups.length, mine.length);
    let k = 0;
    mine.forEach((w, i) => groups.slice(k, (k += cut[i]!)).forEach((g) => responsibility.set(g.id, w.id)));
  }

  // The handover: in a village with two workers the first hands all groups to the second
  // (tiny scale: the first village worker hands over to the second, wherever they are).
  const pairVillage = geo.villages.find((v) => villageWorkers.filter((w) => w.villageId === v.id).length >= 2);
  const [from, to] = pairVillage ? villageWorkers.filter((w) => w.villageId === pairVillage.id) : villageWorkers;
  const handover =
    from && to ? { fromWorkerId: from.id, toWorkerId: to.id, groupIds: [...responsibility].filter(([, w]) => w === from.id).map(([g]) => g) } : null;

  const employed = workers.map((w) => w.id);
  const trainings: WorkforcePlan['trainings'] = [];
  const allStaff = profile.trainings;
  for (let i = 0; i < allStaff; i++) {
    const month = 1 + Math.floor((i * 11) / Math.max(1, allStaff));
    trainings.push({
      label: `training:all:${i + 1}`,
      title: `全县社工全员培训（第${i + 1}期）`,
      heldOn: date(2023, month, rng.int(8, 26)),
      kind: 'all_staff',
      attendeeIds: employed.filter(() => rng.chance(0.92)),
    });
  }
  const videos = ctx.scale === 'tiny' ? 1 : 32;
  for (let i = 0; i < videos; i++) {
    const month = 1 + Math.floor((i * 11) / videos);
    trainings.push({
      label: `training:video:${i + 1}`,
      title: `视频培训：${rng.pick(['社会救助政策解读', '入户调查规范', '个案工作方法', '困境儿童关爱', '心理疏导技巧', '信息核对操作'])}（第${i + 1}讲）`,
      heldOn: date(2023, month, rng.int(2, 28)),
      kind: 'video',
      attendeeIds: employed.filter(() => rng.chance(0.6)),
    });
  }

  // 老带新: certified town and village workers mentor uncertified ones.
  const mentors = rng.shuffle(workers.filter((w) => w.certified && (w.level === 'town' || w.level === 'village')));
  const mentees = rng.shuffle(workers.filter((w) => !w.certified && (w.level === 'town' || w.level === 'village')));
  const mentoring = Array.from({ length: Math.min(profile.mentoringPairs, mentees.length, mentors.length * 2) }, (_, i) => ({
    label: `mentoring:${i + 1}`,
    mentorId: mentors[i % mentors.length]!.id,
    menteeId: mentees[i]!.id,
    from: date(2023, rng.int(2, 4), 1),
  }));

  const officialId = (label: string) => deterministicUuid(`official:${commandIdOf(ctx, label)}`);
  const officials: WorkforcePlan['officials'] = [
    { label: 'official:county', id: officialId('official:county'), role: 'civil_affairs_officer', townId: null, name: personName(rng, 'female') },
    ...geo.towns.map((t) => ({
      label: `official:${t.code}`,
      id: officialId(`official:${t.code}`),
      role: 'town_official' as const,
      townId: t.id,
      name: personName(rng, rng.chance(0.5) ? 'male' : 'female'),
    })),
  ];
  return { workers, townLinks, villageLinks, responsibility, handover, trainings, mentoring, officials };
}

/** The world as it stands at the demo date: the handed-over groups have their new worker (also the HTTP loader's world). */
export function fillWorld(ctx: Pick<DemoContext, 'world'>, plan: WorkforcePlan): void {
  ctx.world.workers.push(...plan.workers.map(({ id, level, townId, villageId, name, certified }) => ({ id, level, townId, villageId, name, certified })));
  ctx.world.officials.push(...plan.officials.map(({ id, role, townId }) => ({ id, role, townId })));
  const handed = new Set(plan.handover?.groupIds ?? []);
  for (const g of ctx.world.groups) g.responsibleWorkerId = handed.has(g.id) ? plan.handover!.toWorkerId : (plan.responsibility.get(g.id) ?? null);
  if (plan.handover) {
    ctx.world.stories.handoverFromWorkerId = plan.handover.fromWorkerId;
    ctx.world.stories.handoverToWorkerId = plan.handover.toWorkerId;
    ctx.world.stories.handoverOn = HANDOVER_ON;
  }
  ctx.world.stories.handoverGroupIds = (plan.handover?.groupIds ?? []).join(',');
  ctx.world.stories.countyOfficialId = plan.officials[0]!.id;
}

/**
 * Who was responsible for each group on a day: the world holds today's worker, and the groups
 * of the mid-year handover had the previous one before HANDOVER_ON.
 */
export function responsibilityOverTime(world: { stories: Record<string, string> }) {
  const handed = new Set((world.stories.handoverGroupIds ?? '').split(',').filter(Boolean));
  return (group: DemoGroup, day: string): string | null =>
    handed.has(group.id) && day < HANDOVER_ON ? world.stories.handoverFromWorkerId! : group.responsibleWorkerId;
}

export const workforceChapter: DemoChapter = {
  name: 'workforce',
  async restore(ctx) {
    fillWorld(ctx, planWorkforce(ctx));
  },
  async run(ctx) {
    const plan = planWorkforce(ctx);
    fillWorld(ctx, plan);
    const { workforce } = ctx.services;
    const store = ctx.deps.store;
    const total =
      plan.workers.length +
      plan.townLinks.length +
      plan.villageLinks.length +
      plan.responsibility.size +
      plan.trainings.length +
      plan.mentoring.length +
      plan.officials.length +
      1;
    let done = 0;
    const tick = () => ctx.progress('workforce', ++done, total);

    await inParallel(plan.workers, ctx.inFlight ?? 4, async (w) => {
      // One person, one record: the service refuses a second registration of the same number
      // before it sees the command id, so a resumed run checks the stream itself.
      if ((await store.streamVersion(workerStreamId(w.id))) === 0) {
        const posting = w.villageId ? { villageId: w.villageId } : w.level === 'town' && w.townId ? { townId: w.townId } : undefined;
        const level = w.level === 'support' ? 'county' : w.level;
        await workforce.registerWorker(ctx.at(ENTERED_ON, w.label), {
          name: w.name,
          level,
          phone: w.phone,
          idNumber: w.idNumber,
          hireDate: w.hireDate,
          ...(posting ? { posting } : {}),
        });
      }
      if (w.certification) {
        const c = w.certification;
        await workforce.recordCertification(ctx.at(c.on > ENTERED_ON ? c.on : ENTERED_ON, `${w.label}:certification`), w.id, {
          level: c.level,
          certificateNumber: c.number,
          certifiedOn: c.on,
        });
      }
      tick();
    });
    for (const link of plan.townLinks) {
      await workforce.linkTown(ctx.at(ENTERED_ON, `town-link:${link.workerId}:${link.townId}`), link.workerId, { townId: link.townId, from: IN_FORCE_FROM });
      tick();
    }
    for (const link of plan.villageLinks) {
      await workforce.linkVillageWorker(ctx.at(ENTERED_ON, `village-link:${link.workerId}:${link.villageWorkerId}`), link.workerId, {
        villageWorkerId: link.villageWorkerId,
        from: IN_FORCE_FROM,
      });
      tick();
    }
    await inParallel([...plan.responsibility], ctx.inFlight ?? 4, async ([groupId, workerId]) => {
      await workforce.assignGroupResponsibility(ctx.at(ENTERED_ON, `responsibility:${groupId}`), groupId, { workerId, from: IN_FORCE_FROM });
      tick();
    });
    if (plan.handover) {
      const result = await workforce.handOverGroups(ctx.at(HANDOVER_ON, 'handover'), plan.handover.fromWorkerId, {
        toWorkerId: plan.handover.toWorkerId,
        from: HANDOVER_ON,
      });
      if (result.failed.length) throw new Error(`handover failed for ${result.failed.length} groups: ${result.failed[0]!.reason}`);
    }
    tick();
    for (const t of plan.trainings) {
      await workforce.recordTrainingSession(ctx.at(t.heldOn, t.label), { title: t.title, heldOn: t.heldOn, kind: t.kind, attendeeIds: t.attendeeIds });
      tick();
    }
    for (const m of plan.mentoring) {
      await workforce.formMentoringPair(ctx.at(m.from, m.label), { mentorId: m.mentorId, menteeId: m.menteeId, from: m.from });
      tick();
    }
    const officials = ctx.services.assistanceLaw?.officials;
    if (officials) {
      for (const o of plan.officials) {
        await officials.appoint(ctx.at(ENTERED_ON, o.label, DEMO_ADMIN), { name: o.name, role: o.role, townId: o.townId, from: IN_FORCE_FROM });
        tick();
      }
    }
    return {
      workers: plan.workers.length,
      certified: plan.workers.filter((w) => w.certified).length,
      townLinks: plan.townLinks.length,
      villageWorkerLinks: plan.villageLinks.length,
      groupsAssigned: plan.responsibility.size,
      groupsHandedOver: plan.handover?.groupIds.length ?? 0,
      trainingSessions: plan.trainings.length,
      mentoringPairs: plan.mentoring.length,
      officials: officials ? plan.officials.length : 0,
    };
  },
};
