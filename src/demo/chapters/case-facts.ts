/**
 * The facts a demo case's investigation establishes, per program, shaped so that the policy's
 * rules give the outcome the story wants (eligible or not). Ages come from the members' birth
 * dates; labour capacity, incomes and care needs are drawn from the case's own random stream.
 */
import type { DemoHousehold, DemoMember, Rng } from '../context';
import { SUIJIANG_ASSISTANCE_POLICY_2023 as POLICY } from '../data/suijiang-assistance-policy-2023';

export type Residence = 'urban' | 'rural';
export type Labour = 'full' | 'partial' | 'none';

export const ageOn = (birthDate: string, day: string): number => {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
};

/** Children and people of 70 and more cannot work; people in their sixties partly. */
export function labourOf(member: DemoMember, day: string, rng: Rng): Labour {
  const age = ageOn(member.birthDate, day);
  if (age < 16 || age >= 70) return 'none';
  if (age >= 60) return 'partial';
  return rng.chance(0.7) ? 'full' : 'partial';
}

export const residenceOf = (villageKind: string | undefined): Residence => (villageKind === 'community' ? 'urban' : 'rural');

const PROPERTY = { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 };

/**
 * 低保 facts: eligible households earn well under the standard (per capita); the others earn
 * more than 1.5 × it, and sometimes own a car, so the refusal names more than one rule.
 */
export function dibaoFacts(h: DemoHousehold, residence: Residence, day: string, rng: Rng, eligible: boolean, incomeFactor?: number) {
  const members = h.members.map((m) => ({ personId: m.personId, birthDate: m.birthDate, labourCapacity: labourOf(m, day, rng) }));
  const standard = POLICY.dibao.standardFenPerPersonYear[residence] * members.length;
  const factor = incomeFactor ?? (eligible ? rng.int(0, 60) / 100 : rng.int(160, 260) / 100);
  const earner = members.find((m) => m.labourCapacity !== 'none');
  const incomes = factor === 0 ? [] : [{ source: earner ? ('wages' as const) : ('farming' as const), fenPerYear: Math.round((standard * factor) / 100) * 100 }];
  return {
    residence,
    members,
    incomes,
    property: { ...PROPERTY, vehicles: !eligible && rng.chance(0.3) ? 1 : 0 },
    incomeStability: rng.chance(0.6) ? ('unstable' as const) : ('stable' as const),
  };
}

/** 特困: an older person who cannot work, with a small pension and no supporter able to help. */
export function tekunFacts(person: DemoMember, residence: Residence, day: string, rng: Rng) {
  return {
    residence,
    applicant: { personId: person.personId, birthDate: person.birthDate, labourCapacity: 'none' as const },
    incomes: rng.chance(0.5) ? [{ source: 'pension' as const, fenPerYear: rng.int(6, 18) * 10_000 }] : [],
    supporters: [],
    careAssessment: { activitiesUnable: rng.pick([0, 0, 1, 2, 3, 4, 6]), assessedOn: day },
  };
}

export function orphanFacts(child: DemoMember, rng: Rng) {
  return {
    child: { personId: child.personId, birthDate: child.birthDate },
    father: { situation: 'dead' as const },
    mother: { situation: 'dead' as const },
    placement: rng.chance(0.8) ? ('scattered' as const) : ('institution' as const),
  };
}

/** 事实无人抚养儿童: a father in prison and a mother out of contact, both for well over six months. */
export function unsupportedChildFacts(child: DemoMember) {
  return {
    child: { personId: child.personId, birthDate: child.birthDate },
    father: { situation: 'in_prison' as const, since: '2021-03-01' },
    mother: { situation: 'out_of_contact' as const, since: '2020-06-01' },
  };
}

const CAUSES = [
  { cause: 'illness' as const, description: '家庭成员突发重病，医疗费用支出较大' },
  { cause: 'accident' as const, description: '意外事故致家庭基本生活暂时困难' },
  { cause: 'disaster' as const, description: '暴雨引发山体滑坡，房屋受损' },
  { cause: 'fire' as const, description: '房屋失火，生活用品受损' },
  { cause: 'other' as const, description: '突发变故，基本生活暂时出现严重困难' },
];

/** 临时救助: sudden hardship; most requests within the town's confirmation limit, some above it. */
export function temporaryFacts(occurredOn: string, rng: Rng, emergency: boolean) {
  const c = rng.pick(CAUSES);
  const requestedFen = rng.chance(0.8) ? rng.int(5, 30) * 10_000 : rng.int(31, 80) * 10_000;
  return { cause: c.cause, description: c.description, occurredOn, requestedFen, emergency };
}

/** The town confirms 临时救助 up to its limit; the bureau above it (the case-procedure policy's default). */
export const townMayConfirm = (requestedFen: number) => requestedFen <= POLICY.temporary.townApprovalLimitFen;
