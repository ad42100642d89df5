/**
 * Chapter "community": the article's community resources, through `ctx.services.community`.
 * - 445 volunteers registered with the social-work association by May 2023 (a tiny county has a
 *   handful), in the teams the article names: 银发先锋, "乌蒙志愿红"巾帼, "爱心爸妈", 青年志愿者,
 *   桃李成蹊 and 18 village 邻里互助养老 teams; 1,000+ more mobilisable from units and associations;
 * - service activities through the year with each volunteer's minutes and the households served;
 * - projects: the government-purchased services and the 物质+服务 pilot (¥7.88 million together since 2022),
 *   the brand projects 蓝信封 and 向日葵, the station projects 回望村邻里互助养老 and 福兴社区云康爱心驿站;
 * - donations of the article's sizes: ¥160,000 from 武汉蜂巢电子商务有限公司(绥江分公司) and
 *   ¥5,000 from 绥江亿佳购物中心 (the ¥165,000 from companies), ¥35,000 through 腾讯公益 for
 *   回望村's mutual-aid elder care; with their allocations to projects and to households.
 */
import { stationIdFor } from '../../application/stations/stations.service';
import type { TeamKind } from '../../domain/community/community-vocabulary';
import { addDays } from '../../domain/calendar/working-days.iso-date';
import type { DemoChapter, DemoContext, DemoVillage } from '../context';
import { birthDateForAge, NationalIdAllocator } from '../national-ids';
import { personName } from '../names';
import { BUREAU } from './case-desk';
import { commandAt, sideBySideInProcess, type SideBySide, type StepAt } from './story-steps';
import { ageOn } from './case-facts';

const VOLUNTEERS: Record<DemoContext['scale'], number> = { tiny: 24, sample: 445, county: 445, province: 445 };
const ACTIVITIES: Record<DemoContext['scale'], number> = { tiny: 8, sample: 120, county: 120, province: 120 };
const SKILLS = ['陪伴探访', '家政', '理发', '医疗保健', '心理疏导', '课业辅导', '文艺', '驾驶', '维修'];

interface TeamPlan {
  key: string;
  name: string;
  kind: TeamKind;
  townId: string;
  villageId: string | null;
  formedOn: string;
}

/** The county's teams; village teams in the first 18 villages (those have service points running). */
function planTeams(ctx: Pick<DemoContext, 'world'>): TeamPlan[] {
  const seat = ctx.world.towns.find((t) => t.name === '中城镇') ?? ctx.world.towns[0]!;
  const county = (key: string, name: string, kind: TeamKind, formedOn: string): TeamPlan => ({ key, name, kind, townId: seat.id, villageId: null, formedOn });
  const teams = [
    county('silver', '绥江县银发先锋志愿服务队', 'silver_pioneer', '2023-01-06'),
    county('women', '“乌蒙志愿红”巾帼志愿服务队', 'women', '2023-01-06'),
    county('parents', '绥江县“爱心爸妈”志愿服务队', 'caring_parents', '2023-01-06'),
    county('youth', '绥江县青年志愿者服务队', 'youth', '2023-01-06'),
    county('taoli', '绥江县桃李成蹊志愿服务队', 'other', '2023-02-15'),
  ];
  const villages: DemoVillage[] = ctx.world.villages.filter((v) => v.kind === 'village');
  const chosen = [...villages.filter((v) => v.name.includes('回望')), ...villages.filter((v) => !v.name.includes('回望'))].slice(0, 18);
  for (const v of chosen)
    teams.push({
      key: `mutual-aid:${v.code}`,
      name: `${v.name}邻里互助养老志愿服务队`,
      kind: 'village_mutual_aid_elder_care',
      townId: v.townId,
      villageId: v.id,
      formedOn: '2023-03-01',
    });
  return teams;
}

type Community = DemoContext['services']['community'];

/**
 * Where the chapter's acts go (as for the cases, see case-steps.ts): the community services in
 * process (`communityServiceSteps`), or the REST API from the HTTP loader. All by the bureau.
 */
export interface CommunitySteps {
  formTeam(at: StepAt, input: Parameters<Community['teams']['form']>[1]): Promise<{ id: string }>;
  registerVolunteer(at: StepAt, input: Parameters<Community['volunteers']['register']>[1]): Promise<{ id: string }>;
  joinTeam(at: StepAt, teamId: string, input: Parameters<Community['teams']['join']>[2]): Promise<void>;
  recordMobilisable(at: StepAt, input: Parameters<Community['mobilisation']['record']>[1]): Promise<void>;
  registerProject(at: StepAt, input: Parameters<Community['projects']['register']>[1]): Promise<{ id: string }>;
  receiveDonation(at: StepAt, input: Parameters<Community['donations']['receive']>[1]): Promise<{ id: string }>;
  allocate(at: StepAt, donationId: string, input: Parameters<Community['donations']['allocate']>[2]): Promise<void>;
  spend(at: StepAt, projectId: string, input: Parameters<Community['projects']['spend']>[2]): Promise<void>;
  recordService(at: StepAt, input: Parameters<Community['serviceRecords']['record']>[1]): Promise<void>;
  sideBySide: SideBySide;
}

export function communityServiceSteps(ctx: Pick<DemoContext, 'at' | 'services' | 'inFlight'>): CommunitySteps {
  const c = ctx.services.community;
  const at = commandAt(ctx);
  return {
    formTeam: (s, input) => c.teams.form(at(s), input),
    registerVolunteer: (s, input) => c.volunteers.register(at(s), input),
    joinTeam: async (s, teamId, input) => void (await c.teams.join(at(s), teamId, input)),
    recordMobilisable: async (s, input) => void (await c.mobilisation.record(at(s), input)),
    registerProject: (s, input) => c.projects.register(at(s), input),
    receiveDonation: (s, input) => c.donations.receive(at(s), input),
    allocate: async (s, donationId, input) => void (await c.donations.allocate(at(s), donationId, input)),
    spend: async (s, projectId, input) => void (await c.projects.spend(at(s), projectId, input)),
    recordService: async (s, input) => void (await c.serviceRecords.record(at(s), input)),
    sideBySide: sideBySideInProcess(ctx),
  };
}

/** The chapter's story through a backend. */
export async function runCommunity(ctx: Pick<DemoContext, 'rng' | 'world' | 'scale' | 'countyCode'>, steps: CommunitySteps): Promise<Record<string, number>> {
  const rng = ctx.rng('community');
  const at = (day: string, label: string): StepAt => ({ day, label: `community:${label}`, actor: BUREAU });
  const seat = ctx.world.towns.find((t) => t.name === '中城镇') ?? ctx.world.towns[0]!;
  const counts = {
    volunteers: 0,
    teams: 0,
    memberships: 0,
    activities: 0,
    serviceMinutes: 0,
    projects: 0,
    donations: 0,
    donatedFen: 0,
    allocations: 0,
    mobilisable: 0,
  };

  // ── teams ──────────────────────────────────────────────────────────────
  const teams = planTeams(ctx);
  const teamIds = new Map<string, string>();
  await steps.sideBySide(teams, async (t) => {
    const formed = await steps.formTeam(at(t.formedOn, `team:${t.key}`), {
      name: t.name,
      kind: t.kind,
      townId: t.townId,
      villageId: t.villageId,
      formedOn: t.formedOn,
    });
    teamIds.set(t.key, formed.id);
  });
  counts.teams = teams.length;

  // ── volunteers, registered January to May, most in a team ───────────────
  const ids = new NationalIdAllocator(ctx.countyCode ?? '530626', 701, 799);
  const volunteers = Array.from({ length: VOLUNTEERS[ctx.scale] }, (_, i) => {
    const team = i < teams.length ? teams[i]! : rng.chance(0.75) ? rng.pick(teams) : null;
    const age = team?.kind === 'silver_pioneer' ? rng.int(55, 72) : team?.kind === 'youth' ? rng.int(18, 30) : rng.int(20, 65);
    const sex = team?.kind === 'women' ? ('female' as const) : rng.chance(0.6) ? ('female' as const) : ('male' as const);
    const registeredOn = addDays(team ? (team.formedOn > '2023-01-06' ? team.formedOn : '2023-01-06') : '2023-01-06', rng.int(0, 80));
    const birthDate = birthDateForAge(age, '2023-01-01', rng.int(0, 364));
    const townId = team?.townId ?? rng.pick(ctx.world.towns).id;
    return {
      key: `volunteer:${i + 1}`,
      name: personName(rng, sex),
      idNumber: ids.next(birthDate, sex),
      phone: `139${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      skills: rng.shuffle(SKILLS).slice(0, rng.int(1, 3)),
      townId,
      villageId: team?.villageId ?? null,
      registeredOn: registeredOn > '2023-05-31' ? '2023-05-31' : registeredOn,
      team,
      id: '',
    };
  });
  await steps.sideBySide(volunteers, async (v) => {
    v.id = (
      await steps.registerVolunteer(at(v.registeredOn, v.key), {
        name: v.name,
        idNumber: v.idNumber,
        phone: v.phone,
        skills: v.skills,
        townId: v.townId,
        villageId: v.villageId,
        registeredOn: v.registeredOn,
      })
    ).id;
  });
  counts.volunteers = volunteers.length;
  // Joins per team in order (one team, one stream); teams side by side.
  const byTeam = new Map<string, typeof volunteers>();
  for (const v of volunteers) if (v.team) byTeam.set(v.team.key, [...(byTeam.get(v.team.key) ?? []), v]);
  await steps.sideBySide([...byTeam], async ([key, members]) => {
    for (const [i, v] of members.entries()) {
      await steps.joinTeam(at(v.registeredOn, `join:${key}:${v.key}`), teamIds.get(key)!, { volunteerId: v.id, from: v.registeredOn, leader: i === 0 });
      counts.memberships++;
    }
  });

  // ── 1,000+ mobilisable from units, associations and companies ────────────
  for (const [organisation, count] of [
    ['县直机关单位', 620],
    ['绥江县老年人体育协会', 160],
    ['绥江爱心协会', 150],
    ['福兴社区“奉献之心”服务队', 40],
    ['爱心企业', 90],
  ] as const) {
    // Counted at the county seat (one stream per organisation and town: counties of a province stay apart).
    await steps.recordMobilisable(at('2023-05-31', `mobilisable:${organisation}`), {
      organisation,
      townId: seat.id,
      count,
      asOf: '2023-05-31',
      note: '可动员志愿者人数',
    });
    counts.mobilisable += count;
  }

  // ── projects ────────────────────────────────────────────────────────────
  const huiwang =
    ctx.world.villages.find((v) => v.name.includes('回望')) ??
    ctx.world.villages.find((v) => v.townId === seat.id && v.kind === 'village') ??
    ctx.world.villages[0]!;
  const fuxing = ctx.world.villages.find((v) => v.name.includes('福兴')) ?? ctx.world.villages.find((v) => v.kind === 'community') ?? ctx.world.villages[0]!;
  const project = async (key: string, input: Parameters<Community['projects']['register']>[1]) => {
    counts.projects++;
    return (await steps.registerProject(at(input.from < '2023-01-03' ? '2023-01-03' : input.from, `project:${key}`), input)).id;
  };
  await project('purchased', {
    kind: 'government_purchased',
    name: '政府购买社会救助服务项目',
    description: '依托70名专业社工驻村常态化开展社会救助服务，实现“政策找人”',
    townId: null,
    provider: '绥江县社会工作协会',
    contractAmountFen: 680_000_000,
    from: '2022-01-01',
    to: '2023-12-31',
    deliverables: [
      { description: '走访排查救助对象', target: 50_000, unit: '人次' },
      { description: '协助办理救助政策', target: 30_000, unit: '人次' },
    ],
  });
  const pilot = await project('material-plus-service', {
    kind: 'government_purchased',
    name: '“物质+服务”社会救助改革试点项目',
    description: '为分散供养特困人员、散居孤儿及事实无人抚养儿童提供生活照料、健康、安全、情感和能力提升服务',
    townId: null,
    provider: '绥江县社会工作协会',
    contractAmountFen: 108_000_000,
    from: '2023-01-03',
    to: '2023-12-31',
    deliverables: [{ description: '服务特困人员和困境儿童', target: 300, unit: '人' }],
  });
  const blue = await project('blue-envelope', {
    kind: 'brand',
    name: '“蓝信封”留守儿童通信陪伴项目',
    description: '以书信陪伴留守儿童',
    townId: null,
    partner: '蓝信封',
    from: '2023-01-03',
    deliverables: [{ description: '直接服务儿童', target: 1_900, unit: '人' }],
  });
  await project('sunflower', {
    kind: 'brand',
    name: '“向日葵”儿童关爱项目',
    description: '困境儿童关爱服务',
    townId: null,
    partner: '向日葵',
    from: '2023-03-01',
  });
  const mutualAid = await project('huiwang-mutual-aid', {
    kind: 'station',
    name: `${huiwang.name}邻里互助养老项目`,
    description: '建立农村邻里互助养老志愿者队伍，为特困老人、残疾人、低保家庭失能老人服务',
    townId: huiwang.townId,
    villageId: huiwang.id,
    stationId: stationIdFor({ townId: huiwang.townId }),
    from: '2023-03-01',
    deliverables: [{ description: '互助养老服务', target: 1_000, unit: '人次' }],
  });
  await project('yunkang-station', {
    kind: 'station',
    name: `${fuxing.name}云康爱心驿站项目`,
    description: '为易地搬迁社区三、四级精神障碍患者及照料人服务',
    townId: fuxing.townId,
    villageId: fuxing.id,
    stationId: stationIdFor({ townId: fuxing.townId }),
    from: '2023-02-01',
    deliverables: [{ description: '服务精神障碍患者及照料人', target: 60, unit: '人' }],
  });

  // ── donations of the article's sizes, and where they went ────────────────
  const donation = async (key: string, day: string, input: Parameters<Community['donations']['receive']>[1]) => {
    counts.donations++;
    counts.donatedFen += input.amountFen;
    return (await steps.receiveDonation(at(day, `donation:${key}`), { ...input, receivedOn: day })).id;
  };
  const fengchao = await donation('fengchao', '2023-04-20', {
    donor: { kind: 'company', name: '武汉蜂巢电子商务有限公司（绥江分公司）' },
    amountFen: 16_000_000,
    channel: 'bank_transfer',
    purpose: '支持绥江社工事业，关爱“一小一老”',
  });
  const yijia = await donation('yijia', '2023-05-18', {
    donor: { kind: 'company', name: '绥江亿佳购物中心' },
    amountFen: 500_000,
    channel: 'bank_transfer',
    purpose: '为“一小一老”捐款捐物',
  });
  const tencent = await donation('tencent', '2023-05-30', {
    donor: { kind: 'online_platform', name: '腾讯公益' },
    amountFen: 3_500_000,
    channel: 'online_charity',
    purpose: `支持中城镇社工站在${huiwang.name}开展邻里互助养老服务`,
    designatedProjectId: mutualAid,
    townId: huiwang.townId,
  });
  const allocate = async (key: string, donationId: string, day: string, input: Parameters<Community['donations']['allocate']>[2]) => {
    counts.allocations++;
    await steps.allocate(at(day, `allocate:${key}`), donationId, { ...input, on: day });
  };
  await allocate('fengchao:blue', fengchao, '2023-05-06', { projectId: blue, amountFen: 6_000_000, note: '留守儿童陪伴' });
  await allocate('fengchao:pilot', fengchao, '2023-05-06', { projectId: pilot, amountFen: 8_000_000, note: '特困老人生活照料' });
  // After the fire: the company's gift helped the four households rebuild their kitchens.
  const fire = (ctx.world.stories.fireHouseholdIds ?? '').split(',').filter(Boolean);
  for (const [i, householdId] of fire.entries())
    await allocate(`fengchao:fire:${i + 1}`, fengchao, '2023-06-15', { householdId, amountFen: 300_000, note: '火灾后生活用品' });
  await allocate('yijia:children', yijia, '2023-06-01', { projectId: blue, amountFen: 500_000, note: '六一儿童节慰问' });
  await allocate('tencent:mutual-aid', tencent, '2023-06-05', { projectId: mutualAid, amountFen: 3_500_000, note: '互助养老服务' });
  // Projects spend what donors gave them (the purchased services' contract money is the bureau's, not tracked here).
  await steps.spend(at('2023-07-10', 'spend:pilot'), pilot, { amountFen: 5_000_000, on: '2023-07-10', purpose: '特困老人生活照料用品' });
  await steps.spend(at('2023-09-15', 'spend:mutual-aid'), mutualAid, {
    amountFen: 2_000_000,
    on: '2023-09-15',
    purpose: '互助养老志愿者培训及上门服务',
  });

  // ── service activities through the year, each volunteer's minutes, the households served ──
  const elders = ctx.world.households.filter((h) => h.members.some((m) => ageOn(m.birthDate, '2023-06-30') >= 60));
  const children = ctx.world.households.filter((h) => h.members.some((m) => ageOn(m.birthDate, '2023-06-30') < 16));
  const withTeam = volunteers.filter((v) => v.team);
  const activities = Array.from({ length: ACTIVITIES[ctx.scale] }, (_, i) => {
    const date = addDays('2023-06-01', rng.int(0, 200));
    const forChildren = rng.chance(0.4);
    const active = withTeam.filter((v) => v.registeredOn <= date);
    const crew = rng.shuffle(active).slice(0, rng.int(2, 6));
    const served = rng.shuffle(forChildren ? children : elders).slice(0, rng.int(1, 4));
    return { key: `activity:${i + 1}`, date, forChildren, crew, served };
  });
  await steps.sideBySide(activities, async (a) => {
    if (a.crew.length === 0) return;
    const participants = a.crew.map((v) => ({ volunteerId: v.id, teamId: teamIds.get(v.team!.key)!, minutes: 30 * (2 + (v.key.length % 5)) }));
    const place = ctx.world.households.find((h) => h.id === a.served[0]?.id);
    await steps.recordService(at(a.date, a.key), {
      activity: a.forChildren ? '“一小”关爱：陪伴、课业辅导' : '“一老”关爱：探访、理发、打扫卫生',
      date: a.date,
      townId: place?.townId ?? seat.id,
      villageId: place?.villageId ?? null,
      projectId: a.forChildren ? blue : mutualAid,
      participants,
      householdIds: a.served.map((h) => h.id),
      servedGroups: [a.forChildren ? 'child' : 'elder'],
    });
    counts.activities++;
    counts.serviceMinutes += participants.reduce((s, p) => s + p.minutes, 0);
  });
  return counts;
}

export const communityChapter: DemoChapter = {
  name: 'community',
  run: (ctx) => runCommunity(ctx, communityServiceSteps(ctx)),
};
