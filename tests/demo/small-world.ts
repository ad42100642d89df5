import type { Service } from '../../src/composition-root';
import { geographyChapter } from '../../src/demo/chapters/geography';
import type { DemoContext, DemoHousehold } from '../../src/demo/context';
import { demoContext } from '../../src/demo/seed';
import { idNumber } from '../support/national-ids';

/**
 * A tiny county for the story chapters' tests, built through the services: the demo's own
 * geography chapter, then a county, a town and two village workers with their links and 包保, the
 * bureau's officer and the town's official, and 40 households of mixed ages (elders living alone,
 * families with children). Stands in for the world chapters where a test wants only the stories.
 */
export async function smallWorld(service: Service, seed = 'stories-test'): Promise<DemoContext> {
  const ctx = demoContext(service, { scale: 'tiny', seed, countyCode: '530626', progress: () => undefined });
  await geographyChapter.run(ctx);
  const { workforce, households } = ctx.services;
  const town = ctx.world.towns[0]!;
  const hire = async (key: string, name: string, level: 'county' | 'town' | 'village', n: number, posting?: { townId?: string; villageId?: string }) => {
    const w = await workforce.registerWorker(ctx.at('2023-01-03', `world:worker:${key}`), { name, level, phone: '13900000000', idNumber: idNumber('1985-03-03', n), hireDate: '2023-01-03', ...(posting ? { posting } : {}) });
    ctx.world.workers.push({ id: w.id, level, townId: posting?.townId ?? null, villageId: posting?.villageId ?? null, name, certified: false });
    return w.id;
  };
  const county = await hire('county', '县社工甲', 'county', 901);
  await workforce.linkTown(ctx.at('2023-01-03', 'world:link:county'), county, { townId: town.id, from: '2023-01-03' });
  await hire('town', '镇社工乙', 'town', 902, { townId: town.id });
  for (const [i, village] of ctx.world.villages.entries()) {
    const v = await hire(`village:${i}`, `村社工${i}`, 'village', 903 + i, { villageId: village.id });
    for (const g of ctx.world.groups.filter((x) => x.villageId === village.id)) {
      await workforce.assignGroupResponsibility(ctx.at('2023-01-03', `world:responsible:${g.code}`), g.id, { workerId: v, from: '2023-01-03' });
      g.responsibleWorkerId = v;
    }
  }
  const appoint = async (key: string, name: string, role: 'civil_affairs_officer' | 'town_official', townId: string | null) => {
    const o = await ctx.services.assistanceLaw!.officials.appoint(ctx.at('2023-01-03', `world:official:${key}`), { name, role, townId, from: '2023-01-03' });
    ctx.world.officials.push({ id: o.id, role, townId });
  };
  await appoint('officer', '县民政局社会救助股', 'civil_affairs_officer', null);
  await appoint('town', `${town.name}民政办`, 'town_official', town.id);

  let seq = 100;
  for (let i = 0; i < 40; i++) {
    const group = ctx.world.groups[i % ctx.world.groups.length]!;
    const shape = i % 4;
    const people =
      shape === 0
        ? [{ name: `独居老人${i}`, birth: '1948-05-05', relation: 'head' }]
        : shape === 1
          ? [{ name: `户主${i}`, birth: '1980-02-02', relation: 'head' }, { name: `配偶${i}`, birth: '1982-03-03', relation: 'spouse' }, { name: `孩子${i}`, birth: '2012-04-04', relation: 'child' }]
          : shape === 2
            ? [{ name: `祖母${i}`, birth: '1956-06-06', relation: 'head' }, { name: `孙子${i}`, birth: '2014-07-07', relation: 'grandchild' }]
            : [{ name: `户主${i}`, birth: '1975-08-08', relation: 'head' }, { name: `母亲${i}`, birth: '1950-09-09', relation: 'parent' }];
    const members = people.map((p) => ({ name: p.name, idNumber: idNumber(p.birth, seq++), relation: p.relation as 'head', labourCapacity: 'partial' as const, disability: null, seriousIllness: null, schoolStatus: null }));
    const h = await households.register(ctx.at('2023-01-05', `world:household:${i}`), { groupId: group.id, incomeStability: 'stable', members });
    const demo: DemoHousehold = {
      id: h.id,
      groupId: group.id,
      villageId: group.villageId,
      townId: group.townId,
      members: h.members.map((m: any) => ({ personId: m.personId, relation: m.relation, name: m.name, birthDate: m.birthDate, idNumber: m.idNumber })),
      specialGroups: i % 3 === 0 ? ['dibao'] : [],
    };
    ctx.world.households.push(demo);
  }
  return ctx;
}
