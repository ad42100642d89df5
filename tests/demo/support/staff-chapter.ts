import type { DemoChapter } from '../../../src/demo/context';
import { idNumber } from '../../support/national-ids';

/**
 * A test chapter that gives a tiny county one person for each role the demo users need (a
 * village worker in charge of two groups, a town worker, a county worker linked to the town,
 * a civil-affairs officer and a town official), through the same services as the generator.
 * It runs after the real chapters, so the users' selection is tested whatever they add.
 */
export const staffChapter: DemoChapter = {
  name: 'test-staff',
  async run(ctx) {
    const { workforce, assistanceLaw } = ctx.services;
    const town = ctx.world.towns[0]!;
    const village = ctx.world.villages.find((v) => v.townId === town.id)!;
    const groups = ctx.world.groups.filter((g) => g.villageId === village.id).slice(0, 2);
    const on = '2023-03-01';
    const hire = (label: string, name: string, level: 'village' | 'town' | 'county', seq: number, posting?: { townId?: string; villageId?: string }) =>
      workforce.registerWorker(ctx.at(on, `test-staff:${label}`), { name, level, phone: `1380000${String(seq).padStart(4, '0')}`, idNumber: idNumber('1985-04-01', 900 + seq), hireDate: on, ...(posting ? { posting } : {}) });
    const villageWorker = await hire('village', '测试村社工', 'village', 1, { villageId: village.id });
    await hire('town', '测试镇社工', 'town', 2, { townId: town.id });
    const countyWorker = await hire('county', '测试县社工', 'county', 3);
    await workforce.linkTown(ctx.at(on, 'test-staff:county-link'), countyWorker.id, { townId: town.id, from: on });
    for (const group of groups) {
      await workforce.assignGroupResponsibility(ctx.at(on, `test-staff:group:${group.code}`), group.id, { workerId: villageWorker.id, from: on });
    }
    await assistanceLaw!.officials.appoint(ctx.at(on, 'test-staff:officer'), { name: '测试民政审批', role: 'civil_affairs_officer', from: on });
    await assistanceLaw!.officials.appoint(ctx.at(on, 'test-staff:official'), { name: '测试乡镇审批', role: 'town_official', townId: town.id, from: on });
    return { workers: 3, officials: 2 };
  },
};
