/**
 * The one place that says who sees which class of personal data (issue 13, PIPL): a record
 * keyed by role, so a new role is one more entry. A role that is not listed sees no class.
 *
 * Classes:
 * - identity: full national ID numbers (a masked 530626**********12 is shown otherwise);
 * - contact: phone numbers, addresses, interviewees (often a name and a phone);
 * - health: serious illness, mental-disorder groups and risk levels, incapacity reasons;
 * - disability: disability type and grade;
 * - income_property: incomes, property, the amount's computation;
 * - free_text: notes that may hold any of these (circumstances, findings, summaries, reasons).
 *   Free text follows health: a role that may not read health data may not read free text.
 *
 * Subjects:
 * - beneficiary: households and their people, cases, decisions, findings, visits;
 * - volunteer: registered volunteers (the bureau keeps their ID numbers);
 * - staff: the bureau's workers (the employer keeps their ID numbers and phones).
 *
 * Area: `inside` when the record lies in the caller's jurisdiction (a village worker: their
 * groups; a town worker: their town; a county worker: linked towns; the others: everywhere).
 */
export const DATA_CLASSES = ['identity', 'contact', 'health', 'disability', 'income_property', 'free_text'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];
export const SUBJECT_KINDS = ['beneficiary', 'volunteer', 'staff'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export type Area = 'inside' | 'outside';

type Access = Record<SubjectKind, Record<Area, readonly DataClass[]>>;

const ALL: readonly DataClass[] = DATA_CLASSES;
const NONE: readonly DataClass[] = [];
const both = (classes: readonly DataClass[]) => ({ inside: classes, outside: classes });

/** Who works a case in an area sees all of its data there, and nothing outside it. */
const CASEWORKER: Access = {
  beneficiary: { inside: ALL, outside: NONE },
  volunteer: both(['contact']),
  staff: both(NONE),
};

export const PRIVACY_POLICY: Readonly<Record<string, Access>> = {
  /** The bureau: everything, everywhere. */
  admin: { beneficiary: both(ALL), volunteer: both(ALL), staff: both(ALL) },
  /** Reads and replays every decision: everything about beneficiaries; no volunteer's or worker's contacts. */
  auditor: { beneficiary: both(ALL), volunteer: both(NONE), staff: both(NONE) },
  /** Scores workers: needs no household's personal data. */
  evaluator: { beneficiary: both(NONE), volunteer: both(NONE), staff: both(NONE) },
  /** Reviews the towns' work (审核把关): incomes and contacts in linked towns, not health or full IDs. */
  county_worker: { beneficiary: { inside: ['contact', 'income_property'], outside: NONE }, volunteer: both(['contact']), staff: both(NONE) },
  town_worker: CASEWORKER,
  village_worker: CASEWORKER,
  /** Roles being added for confirmation (审核确认): the bureau's officer county-wide, the town's officer in their town. */
  civil_affairs_officer: { beneficiary: both(ALL), volunteer: both(['contact']), staff: both(NONE) },
  town_official: CASEWORKER,
};

/** The classes a role may read about a subject, inside or outside its area. */
export function visibleClasses(role: string, subject: SubjectKind, area: Area): ReadonlySet<DataClass> {
  return new Set(PRIVACY_POLICY[role]?.[subject][area] ?? NONE);
}

/** Health data and free text are what PIPL calls sensitive here: reads of them are logged. */
export const SENSITIVE_CLASSES: readonly DataClass[] = ['health', 'disability', 'income_property', 'free_text'];
