import { describe, expect, it } from 'vitest';
import { deterministicUuid } from '../../src/application/ids';
import { parseNationalId } from '../../src/domain/shared/national-id';
import type { DemoContext, DemoScale } from '../../src/demo/context';
import { planGeography, SUIJIANG_TOWNS } from '../../src/demo/chapters/geography';
import { planHouseholds } from '../../src/demo/chapters/households-plan';
import { planWorkforce } from '../../src/demo/chapters/workforce';
import { seededRng } from '../../src/demo/rng';
import { storyInstant } from '../../src/demo/demo-time';

/** The county as planned from the seed alone (no database): Suijiang's shape at county scale. */
const planning = (scale: DemoScale, seed = 'suijiang-2023') =>
  ({
    scale,
    seed,
    countyCode: '530626',
    rng: (label: string) => seededRng(seed, label),
    at: (when: string, label: string) => ({ commandId: deterministicUuid(`${seed}:${label}`), now: storyInstant(when, label) }),
  }) as unknown as DemoContext;

describe('the county-scale plan', () => {
  const ctx = planning('county');
  const geo = planGeography(ctx);
  const workforce = planWorkforce(ctx);

  it('has the five towns of DOMAIN.md, 43 villages and 1,103 groups, with distinct codes under 530626', () => {
    expect(geo.towns.map((t) => t.name)).toEqual([...SUIJIANG_TOWNS]);
    expect(geo.villages).toHaveLength(43);
    expect(geo.groups).toHaveLength(1103);
    const codes = [...geo.towns, ...geo.villages, ...geo.groups].map((u) => u.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => c.startsWith('530626'))).toBe(true);
    expect(new Set(geo.villages.map((v) => v.name)).size).toBe(43);
  });

  it('plans a station per town and a service point per village, most to the 六有 standard and a few not', () => {
    expect(geo.stations).toHaveLength(5 + 43);
    const unfinished = geo.stations.filter((s) => s.unmet.length > 0);
    expect(unfinished.length).toBeGreaterThan(0);
    expect(unfinished.length).toBeLessThan(10);
    expect(unfinished.every((s) => s.villageId)).toBe(true);
  });

  it('hires 70 workers (2 county, 17 town, 47 village, 4 support) of whom 33 are certified: 47.1 %', () => {
    const byLevel = (level: string) => workforce.workers.filter((w) => w.level === level).length;
    expect([byLevel('county'), byLevel('town'), byLevel('village'), byLevel('support')]).toEqual([2, 17, 47, 4]);
    const certified = workforce.workers.filter((w) => w.certified).length;
    expect(certified).toBe(33);
    expect(Math.round((certified / 70) * 1000) / 10).toBe(47.1);
    expect(workforce.workers.every((w) => parseNationalId(w.idNumber) !== null)).toBe(true);
  });

  it("gives every group one responsible worker of its own village, and hands one worker's groups over mid-year", () => {
    expect(workforce.responsibility.size).toBe(1103);
    const villageOf = new Map(workforce.workers.map((w) => [w.id, w.villageId]));
    for (const g of geo.groups) expect(villageOf.get(workforce.responsibility.get(g.id)!)).toBe(g.villageId);
    const { handover } = workforce;
    expect(handover!.groupIds.length).toBeGreaterThan(0);
    expect(villageOf.get(handover!.fromWorkerId)).toBe(villageOf.get(handover!.toWorkerId));
  });

  it('links the 5 towns to the 2 county workers and all 47 village workers to town workers of their town', () => {
    expect(new Set(workforce.townLinks.map((l) => l.townId)).size).toBe(5);
    expect(new Set(workforce.townLinks.map((l) => l.workerId)).size).toBe(2);
    expect(workforce.villageLinks).toHaveLength(47);
    const townOf = new Map(workforce.workers.map((w) => [w.id, w.townId]));
    expect(workforce.villageLinks.every((l) => townOf.get(l.workerId) === townOf.get(l.villageWorkerId))).toBe(true);
  });

  it('holds 15 all-staff trainings, 30+ video sessions and 30 mentoring pairs (certified mentor, uncertified mentee)', () => {
    expect(workforce.trainings.filter((t) => t.kind === 'all_staff')).toHaveLength(15);
    expect(workforce.trainings.filter((t) => t.kind === 'video').length).toBeGreaterThanOrEqual(30);
    expect(workforce.mentoring).toHaveLength(30);
    const certified = new Map(workforce.workers.map((w) => [w.id, w.certified]));
    expect(workforce.mentoring.every((m) => certified.get(m.mentorId) && !certified.get(m.menteeId))).toBe(true);
  });

  it('plans about 45,000 households, about 6,000 in special groups, every member with a valid and unique ID number', () => {
    const households = planHouseholds(ctx, geo.groups);
    expect(households).toHaveLength(45_000);
    const special = households.filter((h) => h.memberships.length > 0).length;
    expect(special).toBeGreaterThan(5_000);
    expect(special).toBeLessThan(7_000);
    const ids = households.flatMap((h) => h.members.map((m) => m.idNumber));
    expect(new Set(ids).size).toBe(ids.length);
    for (const h of households.slice(0, 2000)) {
      for (const m of h.members) {
        const parsed = parseNationalId(m.idNumber)!;
        expect(parsed.birthDate).toBe(m.birthDate);
        expect(parsed.sex).toBe(m.sex);
        expect(parsed.regionCode).toBe('530626');
      }
    }
    const groups = new Set(households.flatMap((h) => h.memberships.map((m) => m.group)));
    for (const g of ['dibao', 'tekun_scattered', 'left_behind_elder', 'left_behind_child', 'disability', 'de_facto_unsupported_child'])
      expect(groups).toContain(g);
  }, 120_000);

  it('is the same plan for the same seed and another for another seed', () => {
    expect(planGeography(planning('county'))).toEqual(geo);
    expect(planGeography(planning('county', 'elsewhere')).villages.map((v) => v.name)).not.toEqual(geo.villages.map((v) => v.name));
  });
});
