import type { AppliedRow, FindingCounts, Rejection } from '../../domain/detection/data-import.events';
import type { DetectionPolicy } from '../../domain/detection/detection-policy';
import type { Observation, RowSubject } from '../../domain/detection/observation';
import { normalizeNationalId } from '../../domain/shared/national-id';
import { evaluateObservation } from '../../domain/detection/rules/evaluate';
import { SOURCE_DEFINITIONS } from '../../domain/detection/sources';
import type { Source } from '../../domain/detection/vocabulary';
import { knownRecordKeys, observationHistory } from '../../projections/detection/matching.queries';
import { activeGroupsByCode } from '../../projections/geography/geography.queries';
import { registeredPeople } from '../../projections/households/registered-people.queries';
import type { CommandContext } from '../command-handler';
import type { PersonIndex } from '../privacy/person-index';
import { detectionsFor } from './detections';
import type { FindingDispatcher, RowDetection } from './finding-dispatcher';
import { recordKeyOf } from './record-key';
import type { StagedRecord } from './staged-record';
import type { Db } from '../db';
import { fieldMessage } from '../../domain/shared/field-messages';

export interface ChunkContext {
  importId: string;
  source: Source;
  policy: DetectionPolicy;
  /** The import's day: rules and windows are judged as of it, also when a crashed import resumes. */
  today: string;
  context: CommandContext;
}

export interface ChunkResult {
  applied: AppliedRow[];
  unchanged: number[];
  rejected: Rejection[];
  findings: FindingCounts;
}

/** A chunk read and judged, its findings not yet sent: what the next chunk's reads build on. */
export interface PreparedChunk {
  fromRow: number;
  toRow: number;
  applied: AppliedRow[];
  unchanged: number[];
  rejected: Rejection[];
  detections: RowDetection[];
}

interface ParsedRow {
  row: number;
  subject: RowSubject;
  observation: Observation;
  personId: string;
  recordKey: string;
}

const unique = <T>(values: readonly T[]) => [...new Set(values)];

/**
 * One chunk of rows: validate with the source's schema, drop what is already known, match by
 * ID number, evaluate the rules against each person's history, and raise or escalate findings.
 * Findings are appended before the chunk is recorded (a chunk's at once), with ids derived from import, row and
 * cause: a crash in between redoes the chunk and the repeated commands change nothing.
 *
 * `prepare` (reads and rules) and `dispatch` (the findings) are apart so that the import can
 * read the next chunk while this one is written: the database works on one while Node works on
 * the other. The next chunk's reads then may or may not see the chunk in flight, so
 * `prepare` is told of it and sees it the same way either way (its keys known, its rows the
 * newest of each person's history).
 */
export class ImportChunkProcessor {
  constructor(
    private readonly db: Db,
    private readonly findings: FindingDispatcher,
    private readonly persons: PersonIndex,
  ) {}

  /** Reads and rules for rows `fromRow`–`toRow`; `inFlight` is the chunk before them, prepared and perhaps not yet written. */
  async prepare(
    ctx: ChunkContext,
    range: { fromRow: number; toRow: number },
    staged: readonly StagedRecord[],
    inFlight: PreparedChunk | null,
  ): Promise<PreparedChunk> {
    const { parsed: valid, rejected } = this.validate(ctx, staged);
    // One keyed-index round trip for the chunk: the same person gets the same (random) id in every import.
    const personIds = await this.persons.idsFor(valid.map((p) => p.subject.idNumber));
    const parsed: ParsedRow[] = valid.map((p) => {
      const personId = personIds.get(normalizeNationalId(p.subject.idNumber))!;
      return { ...p, personId, recordKey: recordKeyOf(ctx.source, personId, p.observation) };
    });
    const known = await knownRecordKeys(
      this.db,
      parsed.map((p) => p.recordKey),
    );
    for (const a of inFlight?.applied ?? []) known.add(a.recordKey);
    const fresh: ParsedRow[] = [];
    const unchanged: number[] = [];
    const seen = new Set<string>();
    for (const p of parsed) {
      if (known.has(p.recordKey) || seen.has(p.recordKey)) unchanged.push(p.row);
      else {
        seen.add(p.recordKey);
        fresh.push(p);
      }
    }
    const registry = await registeredPeople(this.db, unique(fresh.map((p) => p.subject.idNumber)));
    const unmatchedCodes = fresh.filter((p) => !registry.has(p.subject.idNumber) && p.subject.addressCode).map((p) => p.subject.addressCode!);
    const groups = await activeGroupsByCode(this.db, unique(unmatchedCodes));
    const people = unique(fresh.map((p) => p.personId));
    const history = await observationHistory(this.db, people, inFlight ? { importId: ctx.importId, fromRow: inFlight.fromRow, toRow: inFlight.toRow } : null);
    const judged = new Set(people);
    for (const a of inFlight?.applied ?? []) {
      if (judged.has(a.personId)) history.set(a.personId, [...(history.get(a.personId) ?? []), a.observation]);
    }

    const applied: AppliedRow[] = [];
    const detections: RowDetection[] = [];
    for (const p of fresh) {
      const person = registry.get(p.subject.idNumber) ?? null;
      const past = history.get(p.personId) ?? [];
      const signals = evaluateObservation({
        observation: p.observation,
        history: past,
        registeredDisabilityGrade: person?.disabilityGrade ?? null,
        policy: ctx.policy,
        today: ctx.today,
      });
      history.set(p.personId, [...past, p.observation]); // later rows of this chunk see this one
      applied.push({
        row: p.row,
        personId: p.personId,
        matched: !!person,
        householdId: person?.householdId ?? null,
        recordKey: p.recordKey,
        observation: p.observation,
      });
      const subject = person
        ? { personId: p.personId, idNumber: p.subject.idNumber, name: person.name, matched: true, householdId: person.householdId, groupId: person.groupId }
        : {
            personId: p.personId,
            idNumber: p.subject.idNumber,
            name: p.subject.name,
            matched: false,
            householdId: null,
            groupId: (p.subject.addressCode && groups.get(p.subject.addressCode)) || null,
          };
      for (const detection of detectionsFor(ctx.source, signals, subject.matched, ctx.policy)) detections.push({ row: p.row, subject, detection });
    }
    return { ...range, applied, unchanged, rejected, detections };
  }

  /** The chunk's findings, after the chunk before it is written (a finding's stream takes them in row order). */
  async dispatch(ctx: ChunkContext, prepared: PreparedChunk): Promise<ChunkResult> {
    // The rules never read findings, so the chunk's detections go out together, in row order.
    const { detections, applied, unchanged, rejected } = prepared;
    const findings: FindingCounts = { raised: 0, escalated: 0, personsFound: 0 };
    const outcomes = await this.findings.detectAll(ctx, detections);
    outcomes.forEach((outcome, i) => {
      if (outcome === 'raised') findings.raised++;
      if (outcome === 'escalated') findings.escalated++;
      if (outcome === 'raised' && detections[i]!.detection.cause === 'person_found') findings.personsFound++;
    });
    return { applied, unchanged, rejected, findings };
  }

  private validate(ctx: ChunkContext, staged: readonly StagedRecord[]): { parsed: Omit<ParsedRow, 'personId' | 'recordKey'>[]; rejected: Rejection[] } {
    const definition = SOURCE_DEFINITIONS[ctx.source];
    const parsed: Omit<ParsedRow, 'personId' | 'recordKey'>[] = [];
    const rejected: Rejection[] = [];
    for (const s of staged) {
      if ('error' in s) {
        rejected.push({ row: s.row, ...s.error });
        continue;
      }
      const result = definition.row.safeParse(s.record);
      if (!result.success) {
        for (const issue of result.error.issues) rejected.push({ row: s.row, field: issue.path.join('.') || '(row)', message: issue.message });
        continue;
      }
      const { subject, observation } = result.data;
      if (observation.observedOn > ctx.today) {
        rejected.push({ row: s.row, field: definition.dateField, message: fieldMessage('row.dated_after_import', { today: ctx.today }) });
        continue;
      }
      parsed.push({ row: s.row, subject, observation });
    }
    return { parsed, rejected };
  }
}
