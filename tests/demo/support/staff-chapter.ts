import type { DemoChapter } from '../../../src/demo/context';
import { idNumber } from '../../support/national-ids';

/**
 * A test chapter, run after the generator's own, that gives a tiny county whoever its chapters
 * have not (yet) given it among the people the demo users stand for: a village worker in charge
 * of groups, a town worker, a county worker, a civil-affairs officer and a town official. Through
 * the same services as the generator, so the selection is tested whatever the chapters add.
 */
export const staffChapter: DemoChapter = {
  name: 'test-staff',
  async run(ctx) {
    const { workforce, assistanceLaw } = ctx.services;
    const { world } = ctx;
    const town = world.towns[0]!;
    const village = world.villages.find((v) => v.townId === town.id)!;
    // After any assignment the generator made, so a hand-over in the story does not refuse it.
    const on = '2023-12-01';
    let added = 0;
    const hire = async (level: 'village' | 'town' | 'county', name: string, seq: number, posting?: { townId?: string; villageId?: string }) => {
      added++;
      return workforce.registerWorker(ctx.at(on, `test-staff:${level}`), {
        name,
        level,
        phone: `1380000${String(seq).padStart(4, '0')}`,
        idNumber: idNumber('1985-04-01', 900 + seq),
        hireDate: on,
        ...(posting ? { posting } : {}),
      });
    };
    if (!world.workers.some((w) => w.level === 'village')) {
      const worker = await hire('village', '测试村社工', 1, { villageId: village.id });
      for (const group of world.groups.filter((g) => g.villageId === village.id).slice(0, 2)) {
        await workforce.assignGroupResponsibility(ctx.at(on, `test-staff:group:${group.code}`), group.id, { workerId: worker.id, from: on });
      }
    }
    if (!world.workers.some((w) => w.level === 'town')) await hire('town', '测试镇社工', 2, { townId: town.id });
    if (!world.workers.some((w) => w.level === 'county')) await hire('county', '测试县社工', 3);
    if (!world.officials.some((o) => o.role === 'civil_affairs_officer')) {
      added++;
      await assistanceLaw!.officials.appoint(ctx.at(on, 'test-staff:officer'), { name: '测试民政审批', role: 'civil_affairs_officer', from: on });
    }
    if (!world.officials.some((o) => o.role === 'town_official')) {
      added++;
      await assistanceLaw!.officials.appoint(ctx.at(on, 'test-staff:official'), { name: '测试乡镇审批', role: 'town_official', townId: town.id, from: on });
    }
    return { added };
  },
};
