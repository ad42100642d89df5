import { deterministicUuid } from '../../application/ids';
import type { MemberInput } from '../../domain/households/household.decide';
import type { SpecialGroup } from '../../domain/households/person';
import type { DemoContext, DemoGroup } from '../context';
import { birthDateForAge, NationalIdAllocator } from '../national-ids';
import { personName, SURNAMES } from '../names';
import { profileFor } from '../scale-profile';
import { DEMO_COUNTY_CODE } from '../seed-constants';

/** The bureau entered its household ledger (台账) in the first half of January 2023. */
export const LEDGER_FROM_DAY = 5;
export const LEDGER_TO_DAY = 14;
const AGE_ON = '2023-01-01';

export type PlannedMember = Omit<MemberInput, 'personId'> & { idNumber: string; birthDate: string; sex: 'male' | 'female'; age: number };
export interface PlannedMembership {
  label: string;
  group: SpecialGroup;
  /** Index into members for a person-level group; null for the whole household (低保). */
  member: number | null;
  riskLevel: number | null;
  from: string;
}
export interface PlannedHousehold {
  label: string;
  id: string;
  group: DemoGroup;
  registeredOn: string;
  incomeStability: 'stable' | 'unstable';
  address: string;
  members: PlannedMember[];
  memberships: PlannedMembership[];
}

const ILLNESSES = ['尿毒症', '恶性肿瘤', '脑梗后遗症', '重症肺结核', '白血病', '慢性心力衰竭'];
const DISABILITY_TYPES = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'] as const;

function schoolStatus(age: number, rng: DemoContext['rng'] extends (l: string) => infer R ? R : never): PlannedMember['schoolStatus'] {
  if (age < 3) return 'not_school_age';
  if (age < 6) return 'preschool';
  if (age < 12) return 'primary';
  if (age < 15) return 'junior_secondary';
  if (age < 18) return rng.chance(0.3) ? 'vocational' : rng.chance(0.08) ? 'dropout' : 'senior_secondary';
  if (age < 22) return rng.chance(0.35) ? 'college' : 'graduated';
  return null;
}

/** Every household of the county, drawn from the seed and the map: members, ID numbers, special groups. */
export function planHouseholds(ctx: Pick<DemoContext, 'rng' | 'scale' | 'countyCode' | 'at'>, groups: readonly DemoGroup[]): PlannedHousehold[] {
  const profile = profileFor(ctx.scale);
  const rng = ctx.rng('households');
  const ids = new NationalIdAllocator(ctx.countyCode ?? DEMO_COUNTY_CODE);
  const households: PlannedHousehold[] = [];

  for (let i = 0; i < profile.households; i++) {
    const group = groups[i % groups.length]!;
    const label = `household:${i + 1}`;
    const surname = rng.pick(SURNAMES);
    const members: PlannedMember[] = [];
    const person = (relation: MemberInput['relation'], age: number, sex: 'male' | 'female', sameSurname = true) => {
      const birthDate = birthDateForAge(Math.max(0, age), AGE_ON, rng.int(0, 364));
      const disabled = rng.chance(age > 60 ? 0.06 : 0.02);
      const ill = rng.chance(age > 50 ? 0.04 : 0.01);
      const disability = disabled ? { type: rng.pick(DISABILITY_TYPES), grade: rng.int(1, 4) } : null;
      const labourCapacity: PlannedMember['labourCapacity'] =
        age < 16 || age >= 70 || (disability && disability.grade <= 2) ? 'none' : age >= 60 || ill || disability ? 'partial' : 'full';
      members.push({
        name: personName(rng, sex, sameSurname ? surname : undefined),
        idNumber: ids.next(birthDate, sex),
        birthDate,
        sex,
        age,
        relation,
        disability,
        seriousIllness: ill ? rng.pick(ILLNESSES) : null,
        labourCapacity,
        schoolStatus: schoolStatus(age, rng),
      });
    };
    const roll = rng.next();
    if (roll < 0.08) {
      person('head', rng.int(65, 92), rng.chance(0.55) ? 'female' : 'male'); // elder living alone
    } else if (roll < 0.18) {
      const age = rng.int(60, 85);
      person('head', age, 'male');
      person('spouse', age - rng.int(-2, 5), 'female', false);
    } else if (roll < 0.25) {
      person('head', rng.int(20, 59), rng.chance(0.7) ? 'male' : 'female');
    } else {
      const headAge = rng.int(26, 58);
      person('head', headAge, 'male');
      if (rng.chance(0.9)) person('spouse', headAge - rng.int(-2, 5), 'female', false);
      const children = rng.int(1, 3);
      for (let c = 0; c < children; c++) person('child', Math.max(0, headAge - rng.int(20, 32) - c * rng.int(1, 4)), rng.chance(0.5) ? 'male' : 'female');
      if (roll > 0.6) {
        person('parent', headAge + rng.int(22, 30), 'female', false);
        if (rng.chance(0.5)) person('parent', headAge + rng.int(24, 32), 'male');
      }
    }
    households.push({
      label,
      // As the service derives it from the command id (which depends on seed and label only).
      id: deterministicUuid(`household:${ctx.at(AGE_ON, label).commandId}`),
      group,
      registeredOn: `2023-01-${String(rng.int(LEDGER_FROM_DAY, LEDGER_TO_DAY)).padStart(2, '0')}`,
      incomeStability: rng.chance(0.4) ? 'unstable' : 'stable',
      address: `${group.name}${rng.int(1, 120)}号`,
      members,
      memberships: rng.chance(profile.specialShare) ? specialGroupsFor(rng, label, members) : [],
    });
  }
  return households;
}

/** Which special groups fit this household (a child for 留守儿童, an elder for 特困, …). */
function specialGroupsFor(rng: ReturnType<DemoContext['rng']>, label: string, members: PlannedMember[]): PlannedMembership[] {
  const out: PlannedMembership[] = [];
  const enrolledOn = () => `${rng.pick([2020, 2021, 2022, 2022])}-${String(rng.int(1, 12)).padStart(2, '0')}-01`;
  const add = (group: SpecialGroup, member: number | null, riskLevel: number | null = null) => {
    if (out.some((m) => m.group === group && (m.member === member || m.member === null || member === null))) return;
    out.push({ label: `${label}:special:${out.length + 1}`, group, member, riskLevel, from: enrolledOn() });
  };
  const index = (pred: (m: PlannedMember) => boolean) => members.findIndex(pred);

  const disabled = index((m) => m.disability !== null);
  if (disabled >= 0) {
    if (members[disabled]!.disability!.type === 'mental' && rng.chance(0.6)) add('mental_disorder', disabled, rng.int(1, 4));
    else add('disability', disabled);
  }
  const elder = index((m) => m.age >= 60);
  const child = index((m) => m.age < 16);
  if (members.length === 1 && elder === 0) {
    if (rng.chance(0.35)) add('tekun_scattered', 0);
    else add('left_behind_elder', 0);
  } else if (child >= 0 && rng.chance(0.3)) {
    add(rng.chance(0.04) ? 'de_facto_unsupported_child' : 'left_behind_child', child);
  }
  if (out.length === 0 || rng.chance(0.35)) {
    const roll = rng.next();
    if (roll < 0.7) add('dibao', null);
    else if (roll < 0.9) add('poverty_relapse_monitoring', null);
    else if (elder >= 0) add('left_behind_elder', elder);
    else add('dibao', null);
  }
  return out;
}
