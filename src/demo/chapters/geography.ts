import { groupIdForCode, townIdForCode, villageIdForCode } from '../../application/geography/geography.service';
import { stationIdFor } from '../../application/stations/stations.service';
import { STANDARD_ITEMS, STANDARD_ITEM_LABELS } from '../../domain/stations/standard';
import type { DemoChapter, DemoContext, DemoGroup, DemoTown, DemoVillage } from '../context';
import { chineseNumber, placeName } from '../names';
import { inParallel } from '../parallel';
import { profileFor } from '../scale-profile';
import { DEMO_COUNTY_CODE } from '../seed-constants';

/** The five towns DOMAIN.md names, in the county's statistical order. */
export const SUIJIANG_TOWNS = ['中城镇', '板栗镇', '新滩镇', '会仪镇', '南岸镇'] as const;

/** Service points the bureau has not yet equipped to the 六有 standard: the gaps coverage shows. */
const UNFINISHED_POINT_SHARE = 0.1;
/** Town stations rated 优质 by the bureau. */
const QUALITY_TOWN_STATIONS = 2;
const SET_UP_ON = '2023-01-03';

export interface StationPlan {
  key: string;
  townId?: string;
  villageId?: string;
  name: string;
  /** Items left unmet (the station then stays planned); empty = opened to the standard. */
  unmet: string[];
  openedOn: string;
  quality: boolean;
}

export interface GeographyPlan {
  towns: DemoTown[];
  villages: DemoVillage[];
  groups: DemoGroup[];
  stations: StationPlan[];
}

/** The county's map, from the seed alone: the same seed always draws the same map. */
export function planGeography(ctx: Pick<DemoContext, 'rng' | 'scale' | 'countyCode'>): GeographyPlan {
  const profile = profileFor(ctx.scale);
  const county = ctx.countyCode ?? DEMO_COUNTY_CODE;
  const rng = ctx.rng('geography');
  const taken = new Set<string>();
  const towns: DemoTown[] = profile.villagesPerTown.map((_, i) => {
    const code = `${county}${100 + i}`;
    return { id: townIdForCode(code), code, name: SUIJIANG_TOWNS[i]! };
  });
  const villages: DemoVillage[] = [];
  towns.forEach((town, t) => {
    for (let v = 0; v < profile.villagesPerTown[t]!; v++) {
      // The seat of each town is a community (社区); the rest are villages.
      const kind = v === 0 ? 'community' : 'village';
      const code = `${town.code}${String(kind === 'community' ? 1 + v : 200 + v).padStart(3, '0')}`;
      villages.push({ id: villageIdForCode(code), townId: town.id, code, name: placeName(rng, taken) + (kind === 'community' ? '社区' : '村'), kind });
    }
  });
  // 1,103 groups shared unevenly (communities are smaller), then trimmed to the exact total.
  const weights = villages.map((v) => (v.kind === 'community' ? 0.6 : 0.8 + rng.next() * 0.6));
  const total = weights.reduce((a, b) => a + b, 0);
  const perVillage = weights.map((w) => Math.max(1, Math.round((w / total) * profile.groups)));
  for (let i = 0; perVillage.reduce((a, b) => a + b, 0) !== profile.groups; i = (i + 1) % perVillage.length) {
    const diff = profile.groups - perVillage.reduce((a, b) => a + b, 0);
    if (diff > 0) perVillage[i]!++;
    else if (perVillage[i]! > 1) perVillage[i]!--;
  }
  const groups: DemoGroup[] = [];
  villages.forEach((village, v) => {
    for (let g = 1; g <= perVillage[v]!; g++) {
      const code = `${village.code}${String(g).padStart(3, '0')}`;
      groups.push({
        id: groupIdForCode(code),
        villageId: village.id,
        townId: village.townId,
        code,
        name: `${village.name}${chineseNumber(g)}组`,
        responsibleWorkerId: null,
      });
    }
  });
  const stations: StationPlan[] = [];
  const openedOn = (monthMax: number) => `2023-0${rng.int(1, monthMax)}-${String(rng.int(5, 28)).padStart(2, '0')}`;
  towns.forEach((town, t) =>
    stations.push({
      key: `town:${town.code}`,
      townId: town.id,
      name: `${town.name}社会工作服务站`,
      unmet: [],
      openedOn: openedOn(2),
      quality: t < QUALITY_TOWN_STATIONS,
    }),
  );
  for (const village of villages) {
    const unfinished = villages.length > 2 && rng.chance(UNFINISHED_POINT_SHARE);
    const unmet = unfinished ? rng.shuffle(STANDARD_ITEMS).slice(0, rng.int(1, 2)) : [];
    stations.push({
      key: `village:${village.code}`,
      villageId: village.id,
      name: `${village.name}社会工作服务点`,
      unmet,
      openedOn: openedOn(4),
      quality: false,
    });
  }
  // Tiny scale still shows one gap: its last point is not equipped.
  if (villages.length <= 2) stations.at(-1)!.unmet = ['equipment'];
  return { towns, villages, groups, stations };
}

async function restore(ctx: DemoContext): Promise<GeographyPlan> {
  const plan = planGeography(ctx);
  ctx.world.towns.push(...plan.towns);
  ctx.world.villages.push(...plan.villages);
  ctx.world.groups.push(...plan.groups);
  return plan;
}

export const geographyChapter: DemoChapter = {
  name: 'geography',
  restore: async (ctx) => void (await restore(ctx)),
  async run(ctx) {
    const plan = await restore(ctx);
    const { geography, stations } = ctx.services;
    const total = plan.towns.length + plan.villages.length + plan.groups.length + plan.stations.length;
    let done = 0;
    const tick = () => ctx.progress('geography', ++done, total);
    for (const town of plan.towns) {
      await geography.registerTown(ctx.at(SET_UP_ON, `town:${town.code}`), { code: town.code, name: town.name });
      tick();
    }
    await inParallel(plan.villages, ctx.inFlight ?? 4, async (village) => {
      await geography.registerVillage(ctx.at(SET_UP_ON, `village:${village.code}`), {
        townId: village.townId,
        kind: village.kind as 'village' | 'community',
        code: village.code,
        name: village.name,
      });
      tick();
    });
    await inParallel(plan.groups, ctx.inFlight ?? 4, async (group) => {
      await geography.registerGroup(ctx.at(SET_UP_ON, `group:${group.code}`), { villageId: group.villageId, code: group.code, name: group.name });
      tick();
    });
    let opened = 0;
    let quality = 0;
    await inParallel(plan.stations, ctx.inFlight ?? 4, async (s) => {
      const unit = s.villageId ? { villageId: s.villageId } : { townId: s.townId! };
      await stations.plan(ctx.at(SET_UP_ON, `station:${s.key}:plan`), { ...unit, name: s.name });
      const stationId = stationIdFor(unit);
      for (const item of STANDARD_ITEMS) {
        const met = !s.unmet.includes(item);
        const label = `station:${s.key}:item:${item}`;
        await stations.recordItem(ctx.at(s.openedOn, label), stationId, {
          item,
          met,
          note: met ? `${STANDARD_ITEM_LABELS[item]}：已达标` : `${STANDARD_ITEM_LABELS[item]}：尚未达标`,
          on: s.openedOn,
        });
      }
      if (s.unmet.length === 0) {
        await stations.open(ctx.at(s.openedOn, `station:${s.key}:open`), stationId, s.openedOn);
        opened++;
      }
      if (s.quality) {
        await stations.rateQuality(ctx.at('2023-06-30', `station:${s.key}:quality`), stationId, { ratedOn: '2023-06-30', note: '县民政局评定为优质社工站' });
        quality++;
      }
      tick();
    });
    return {
      towns: plan.towns.length,
      villages: plan.villages.length,
      groups: plan.groups.length,
      stations: plan.stations.length,
      stationsOpened: opened,
      qualityStations: quality,
    };
  },
};
