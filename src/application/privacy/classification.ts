import type { FieldDeclaration } from './masking';
import { maskName } from '../../domain/shared/national-id';

/**
 * Every field of personal data the service returns, with its class (see data-classes.ts for
 * who sees which class). Keys are matched at any depth of the record kind they are declared
 * for, so a new event or fact that reuses a name is classified without another line here.
 */

/** Households, members, circumstances, cases, case history, decisions (facts and results), visits. */
export const BENEFICIARY_FIELDS: FieldDeclaration = {
  // identity
  idNumber: 'identity',
  // contact
  address: 'contact',
  phone: 'contact',
  // health
  seriousIllness: 'health',
  incapacityReasons: 'health',
  /** A parent's situation (ill, disabled, in prison, out of contact) in a child's facts. */
  situation: 'health',
  /** Special groups that are health data (mental disorder, disability) become `health_related`. */
  specialGroups: {
    class: 'health',
    mask: (v) => (Array.isArray(v) ? v.map(maskHealthGroup) : v),
  },
  riskLevel: 'health',
  // disability
  disability: 'disability',
  disabilities: 'disability',
  // income and property
  incomes: 'income_property',
  property: 'income_property',
  fenPerYear: 'income_property',
  computation: 'income_property',
  // free text (may hold any class)
  description: 'free_text',
  findings: 'free_text',
  summary: 'free_text',
  result: 'free_text',
  writtenReasons: 'free_text',
  reasons: 'free_text',
  notes: 'free_text',
  /** A neighbour interviewed: a name, often with a phone number, typed as the worker likes. */
  interviewee: 'free_text',
  /** Rule results: the reason quotes the numbers compared, the inputs are the numbers. */
  reason: 'free_text',
  inputs: 'free_text',
  /** A relative of a worker or cadre: the kind stays, the name is masked. */
  relativeOf: { class: 'free_text', mask: (v) => (isObject(v) ? { ...v, name: typeof v.name === 'string' ? maskName(v.name) : v.name } : v) },
};

/** Registered volunteers. */
export const VOLUNTEER_FIELDS: FieldDeclaration = { idNumber: 'identity', phone: 'contact' };

/** The bureau's workers. */
export const STAFF_FIELDS: FieldDeclaration = { idNumber: 'identity', phone: 'contact' };

/** Service records (community): who was served and notes about them. */
export const SERVICE_RECORD_FIELDS: FieldDeclaration = { note: 'free_text', notes: 'free_text', voidReason: 'free_text' };

/**
 * Findings from other departments' data: the person's ID number and name (a finding names
 * someone who may not be registered yet), and reasons that quote illness and disability.
 */
export const FINDING_FIELDS: FieldDeclaration = {
  idNumber: 'identity',
  name: { class: 'identity', mask: (v) => (typeof v === 'string' ? maskName(v) : v) },
  reasons: 'free_text',
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A special group that is health data (mental disorder, disability) shows only as `health_related`. */
function maskHealthGroup(entry: unknown): unknown {
  if (!isObject(entry) || (entry.group !== 'mental_disorder' && entry.group !== 'disability')) return entry;
  return { ...entry, group: 'health_related', riskLevel: null };
}
