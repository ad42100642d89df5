import type { Actor } from '../actor';
import { authorize, roles } from '../permissions/permissions';
import { covers, type Jurisdiction, type Place } from '../jurisdiction';
import type { Page, PageRequest } from '../pagination';
import type { AccessEntry, AccessFilter, AccessLog, AccessRecord } from './access-log';
import { SENSITIVE_CLASSES, visibleClasses, type Area, type DataClass, type SubjectKind } from './data-classes';
import { maskFields, type FieldDeclaration } from './masking';

type Reader = { actor: Actor; now: Date };

/** One record about to leave the service: what it is, where it lies, which fields it declares. */
export interface Shown<T> {
  record: T;
  subjectKind: SubjectKind;
  fields: FieldDeclaration;
  /** Null: the record lies nowhere in particular (county-wide): inside for everyone who may read it. */
  place: Place | null;
  subjectId: string;
  householdId?: string | null;
}

export const privacyPermissions = {
  /** The access log is the auditors' (and the bureau's) to read. */
  readAccessLog: roles('auditor', 'admin'),
};

/**
 * The masking layer every output path of personal data goes through: classes from the one
 * policy table (data-classes.ts), masking by the field declarations (classification.ts), and
 * the access log for reads that showed sensitive classes.
 */
export class Privacy {
  constructor(private readonly log: AccessLog) {}

  areaOf(jurisdiction: Jurisdiction, place: Place | null): Area {
    return place === null || covers(jurisdiction, place) ? 'inside' : 'outside';
  }

  classesFor(actor: Actor, subjectKind: SubjectKind, area: Area): ReadonlySet<DataClass> {
    return visibleClasses(actor.role, subjectKind, area);
  }

  /** Masks many records for one reader and logs the sensitive reads (one insert). */
  async showAll<T>(context: Reader, jurisdiction: Jurisdiction, route: string, shown: readonly Shown<T>[]): Promise<{ value: T; masked: boolean }[]> {
    const { out, reads } = this.maskAll(context, jurisdiction, shown);
    await this.log.record(context.actor, context.now, route, reads);
    return out;
  }

  /**
   * `showAll` without the log: the masked records and the reads to log. For a caller that shows
   * the same answer again (the households search's cache) and logs `reads` with `logReads` on
   * every showing, before the answer leaves.
   */
  maskAll<T>(context: Reader, jurisdiction: Jurisdiction, shown: readonly Shown<T>[]): { out: { value: T; masked: boolean }[]; reads: AccessEntry[] } {
    const reads: AccessEntry[] = [];
    const out = [];
    // The classes depend only on the subject kind and the area: one set each, not one per record.
    const classes = new Map<string, ReadonlySet<DataClass>>();
    for (const s of shown) {
      const area = this.areaOf(jurisdiction, s.place);
      let visible = classes.get(`${s.subjectKind}:${area}`);
      if (!visible) classes.set(`${s.subjectKind}:${area}`, (visible = this.classesFor(context.actor, s.subjectKind, area)));
      const result = maskFields(s.record, s.fields, visible);
      const sensitive = [...result.revealed].filter((c) => SENSITIVE_CLASSES.includes(c));
      if (sensitive.length && s.subjectKind === 'beneficiary')
        reads.push({ subjectKind: s.subjectKind, subjectId: s.subjectId, householdId: s.householdId ?? null, classes: sensitive.sort() });
      out.push({ value: result.value, masked: result.masked });
    }
    return { out, reads };
  }

  async show<T>(context: Reader, jurisdiction: Jurisdiction, route: string, shown: Shown<T>): Promise<{ value: T; masked: boolean }> {
    return (await this.showAll(context, jurisdiction, route, [shown]))[0]!;
  }

  /** For services that mask with `maskFor` and know what they showed (findings). */
  async logReads(context: Reader, route: string, entries: readonly AccessEntry[]): Promise<void> {
    await this.log.record(context.actor, context.now, route, entries);
  }

  async accessLog(context: Reader, filter: AccessFilter, page: PageRequest): Promise<Page<AccessRecord>> {
    await authorize(context.actor, privacyPermissions.readAccessLog, filter, 'read the personal-data access log');
    return this.log.list(filter, page);
  }
}

/**
 * The same layer for records whose reads are not logged (volunteers, workers, service records):
 * the classes from the one policy table, the fields from classification.ts.
 */
export function maskFor<T>(actor: Actor, subjectKind: SubjectKind, area: Area, record: T, fields: FieldDeclaration): { value: T; masked: boolean } {
  const result = maskFields(record, fields, visibleClasses(actor.role, subjectKind, area));
  return { value: result.value, masked: result.masked };
}
