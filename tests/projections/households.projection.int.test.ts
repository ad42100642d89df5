import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { HouseholdEvent } from '../../src/domain/households/household.events';
import type { Member } from '../../src/domain/households/person';
import { householdsProjection } from '../../src/projections/households/households.projection';
import { searchHouseholds } from '../../src/projections/households/households.queries';
import type { Db } from '../../src/storage/database';
import { projectionSpec } from './projection-spec';

const spec = projectionSpec(householdsProjection);
const AT = '2026-01-10T08:00:00.000Z';
const [householdId, groupId, otherGroup, head, child, membershipId] = [1, 2, 3, 4, 5, 6].map((n) => `00000000-0000-4000-8000-00000000a0${n}0`) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const member = (personId: string, over: Partial<Member> = {}): Member => ({
  personId,
  name: '王某',
  idNumber: personId === head ? '110101197001011234' : '110101201501015678',
  birthDate: personId === head ? '1970-01-01' : '2015-01-01',
  sex: 'male',
  relation: personId === head ? 'head' : 'child',
  disability: null,
  seriousIllness: null,
  labourCapacity: 'full',
  schoolStatus: null,
  ...over,
});
const registered: HouseholdEvent = {
  type: 'HouseholdRegistered',
  data: { householdId, groupId, address: '东村1号', incomeStability: 'stable', members: [member(head)], registeredAt: AT },
};
const members = (db: Db) =>
  db.selectFrom('rm_household_members').select(['person_id', 'relation', 'school_status', 'disability']).orderBy('birth_date').execute();

describe('households projection', () => {
  it('keeps the members as they now stand: added, updated, removed', async () => {
    await spec
      .given([
        registered,
        { type: 'MemberAdded', data: { householdId, member: member(child, { schoolStatus: 'preschool' }), addedAt: AT } },
        {
          type: 'MemberUpdated',
          data: { householdId, member: member(child, { schoolStatus: 'primary', disability: { type: 'hearing', grade: 3 } }), updatedAt: AT },
        },
      ])
      .expectRows(members, [
        { person_id: head, relation: 'head', school_status: null, disability: null },
        { person_id: child, relation: 'child', school_status: 'primary', disability: { type: 'hearing', grade: 3 } },
      ]);
    await spec
      .given([
        registered,
        { type: 'MemberAdded', data: { householdId, member: member(child), addedAt: AT } },
        { type: 'MemberRemoved', data: { householdId, personId: child, reason: '迁出', removedAt: AT } },
      ])
      .expectRows(members, [{ person_id: head }]);
  });

  it('keeps each member name’s characters beside it (the name search’s index), renamed with the name', async () => {
    const chars = (db: Db) => db.selectFrom('rm_household_members').select(['person_id', 'name', 'name_chars']).orderBy('birth_date').execute();
    await spec
      .given([
        registered,
        { type: 'MemberAdded', data: { householdId, member: member(child, { name: '王小明' }), addedAt: AT } },
        { type: 'MemberUpdated', data: { householdId, member: member(child, { name: '王晓明' }), updatedAt: AT } },
      ])
      .expectRows(chars, [
        { person_id: head, name: '王某', name_chars: ['王', '某'] },
        { person_id: child, name: '王晓明', name_chars: ['王', '晓', '明'] },
      ]);
    const found = await sql<{ person_id: string }>`
      select person_id from rm_household_members where name_chars @> string_to_array(${'晓明'}, null) and name like ${'%晓明%'}`.execute(spec.db());
    expect(found.rows).toEqual([{ person_id: child }]);
  });

  it('merges new names into the name index at once, with no pending list every search would read', async () => {
    // GIN's default queues new entries in a pending list that each search reads whole, until a
    // VACUUM merges it (PGlite never runs one); the index is declared without it (migration 0185).
    const options = await sql<{ reloptions: string[] | null }>`
      select c.reloptions from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relname = 'rm_household_members_name_chars' and n.nspname = current_schema()`.execute(spec.db());
    expect(options.rows).toEqual([{ reloptions: ['fastupdate=off'] }]);
  });

  it('finds households by a part of a member’s name, page by page in id order, with what they hold', async () => {
    const second = '00000000-0000-4000-8000-00000000a070';
    const third = '00000000-0000-4000-8000-00000000a080';
    const other = (id: string, personId: string, name: string, idNumber: string): HouseholdEvent => ({
      type: 'HouseholdRegistered',
      data: { householdId: id, groupId, address: null, incomeStability: 'stable', members: [member(personId, { name, idNumber })], registeredAt: AT },
    });
    await spec
      .given([
        registered,
        { type: 'MemberAdded', data: { householdId, member: member(child, { name: '李小明' }), addedAt: AT } },
        other(second, '00000000-0000-4000-8000-00000000a071', '张明', '110101198001011237'),
        other(third, '00000000-0000-4000-8000-00000000a081', '赵刚', '110101198501011232'),
      ])
      .expectRows((db) => db.selectFrom('rm_households').select('id').orderBy('id').execute(), [{ id: householdId }, { id: second }, { id: third }]);
    const db = spec.db();
    await sql`delete from rm_groups`.execute(db);
    await sql`insert into rm_groups (id, code, name, registered_at, status, town_id, updated_at, version, village_id)
      values (${groupId}::uuid, 'g', '一组', now(), 'active', ${otherGroup}::uuid, now(), 1, ${otherGroup}::uuid)`.execute(db);
    const all = { townIds: null, groupIds: null };
    const first = await searchHouseholds(db, { ...all, name: '明' }, { limit: 1 });
    expect(first.items.map((h) => h.id)).toEqual([householdId]);
    expect(first.items[0]!.members.map((m) => m.name)).toEqual(['王某', '李小明']);
    const next = await searchHouseholds(db, { ...all, name: '明' }, { limit: 1, cursor: first.nextCursor! });
    expect(next.items.map((h) => h.id)).toEqual([second]);
    expect(next.nextCursor).toBeNull();
    expect((await searchHouseholds(db, { ...all, name: '小明' }, { limit: 5 })).items.map((h) => h.id)).toEqual([householdId]);
    expect((await searchHouseholds(db, { ...all, name: '明小' }, { limit: 5 })).items).toEqual([]);
    expect((await searchHouseholds(db, all, { limit: 5 })).items.map((h) => h.id)).toEqual([householdId, second, third]);
    await sql`delete from rm_groups`.execute(db);
  });

  it('moves the household, records changes of circumstances and dated special-group memberships', async () => {
    const events: HouseholdEvent[] = [
      registered,
      { type: 'HouseholdMoved', data: { householdId, fromGroupId: groupId, toGroupId: otherGroup, on: '2026-02-01', movedAt: AT } },
      {
        type: 'CircumstancesChanged',
        data: { householdId, on: '2026-02-02', category: 'income', description: '失业', incomeStability: 'unstable', recordedAt: AT },
      },
      {
        type: 'SpecialGroupJoined',
        data: { householdId, membershipId, group: 'dibao', personId: null, riskLevel: null, from: '2026-03-01', to: null, recordedAt: AT },
      },
      { type: 'SpecialGroupLeft', data: { householdId, membershipId, to: '2026-09-30', recordedAt: AT } },
    ];
    await spec
      .given(events)
      .expectRows(
        (db) => db.selectFrom('rm_households').select(['group_id', 'income_stability', 'registered_on', 'version']).execute(),
        [{ group_id: otherGroup, income_stability: 'unstable', registered_on: '2026-01-10', version: '5' }],
      );
    await spec
      .given(events)
      .expectRows(
        (db) => db.selectFrom('rm_special_memberships').select(['group_kind', 'from_date', 'to_date']).execute(),
        [{ group_kind: 'dibao', from_date: '2026-03-01', to_date: '2026-09-30' }],
      );
  });
});
