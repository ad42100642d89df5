import { sql } from 'kysely';
import { normalizeNationalId } from '../../domain/shared/national-id';
import type { DemoChapter, DemoContext, DemoHousehold } from '../context';
import { inParallel } from '../parallel';
import { planHouseholds, type PlannedHousehold } from './households-plan';

/** Person ids are drawn by the privacy index (random, never derived): read back from the read model. */
async function personIds(ctx: DemoContext, householdIds: readonly string[]): Promise<Map<string, string>> {
  const byIdNumber = new Map<string, string>();
  for (let i = 0; i < householdIds.length; i += 2000) {
    const rows = await sql<{ person_id: string; id_number: string }>`
      select person_id, id_number from rm_household_members where household_id = any(${householdIds.slice(i, i + 2000)}::uuid[])`.execute(ctx.deps.database.db);
    for (const r of rows.rows) byIdNumber.set(r.id_number, r.person_id);
  }
  return byIdNumber;
}

/** A planned household as the world lists it, with the person ids the service drew (by ID number). */
export function toWorld(h: PlannedHousehold, persons: ReadonlyMap<string, string>): DemoHousehold {
  return {
    id: h.id,
    groupId: h.group.id,
    villageId: h.group.villageId,
    townId: h.group.townId,
    members: h.members.map((m) => ({
      personId: persons.get(m.idNumber) ?? '',
      relation: m.relation,
      name: m.name,
      birthDate: m.birthDate,
      idNumber: m.idNumber,
    })),
    specialGroups: [...new Set(h.memberships.map((m) => m.group))],
  };
}

export const householdsChapter: DemoChapter = {
  name: 'households',
  async restore(ctx) {
    const plan = planHouseholds(ctx, ctx.world.groups);
    const persons = await personIds(
      ctx,
      plan.map((h) => h.id),
    );
    ctx.world.households.push(...plan.map((h) => toWorld(h, persons)));
  },
  async run(ctx) {
    const plan = planHouseholds(ctx, ctx.world.groups);
    const { households } = ctx.services;
    let done = 0;
    let memberships = 0;
    let people = 0;
    const persons = new Map<string, string>();
    await inParallel(plan, ctx.inFlight ?? 4, async (h) => {
      // Returning ids, not the household: the load reads nothing back, so no access-log row says the bureau read it.
      const { personIdsByIdNumber } = await households.registerReturningIds(ctx.at(h.registeredOn, h.label), {
        groupId: h.group.id,
        address: h.address,
        incomeStability: h.incomeStability,
        members: h.members.map(({ age: _age, ...m }) => m),
      });
      for (const m of h.memberships) {
        const personId = m.member === null ? null : personIdsByIdNumber.get(normalizeNationalId(h.members[m.member]!.idNumber))!;
        await households.joinSpecialGroupReturningId(ctx.at(h.registeredOn, m.label), h.id, { group: m.group, personId, riskLevel: m.riskLevel, from: m.from });
        memberships++;
      }
      people += h.members.length;
      ctx.progress('households', ++done, plan.length);
    });
    for (const [k, v] of await personIds(
      ctx,
      plan.map((h) => h.id),
    ))
      persons.set(k, v);
    ctx.world.households.push(...plan.map((h) => toWorld(h, persons)));
    return { households: plan.length, people, specialHouseholds: plan.filter((h) => h.memberships.length > 0).length, specialMemberships: memberships };
  },
};
