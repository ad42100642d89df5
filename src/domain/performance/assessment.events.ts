import { z } from 'zod';
import { assertNever, type Decider } from '../shared/decider';
import { DomainRuleViolation } from '../shared/errors';
import type { EventCatalog } from '../shared/event-schemas';
import { PeriodIdSchema } from './period';

/**
 * The evaluation committee's scores for one worker and period: one stream per (worker, period).
 * The first assessment is revision 1; a correction is a new event with the next revision and
 * a reason, so the history of what the committee said, and when, is never lost.
 */
const Score = z.number().int().min(0).max(100);
const Comment = z.string().max(2000);

export const CommitteeScoresSchema = z.object({ discipline: Score, attitude: Score, knowledge: Score });
export type CommitteeScores = z.infer<typeof CommitteeScoresSchema>;
export const CommitteeCommentsSchema = z.object({ discipline: Comment, attitude: Comment, knowledge: Comment });

export const OutcomeSchema = z.enum(['reward', 'commendation', 'none', 'reminder', 'warning', 'penalty', 'dismissal_proposed']);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const AssessmentRecordedSchema = z.object({
  assessmentId: z.string().uuid(),
  workerId: z.string().uuid(),
  period: PeriodIdSchema,
  revision: z.number().int().min(1),
  scores: CommitteeScoresSchema,
  comments: CommitteeCommentsSchema,
  /** Why the previous revision was corrected; null on the first. */
  correctionReason: z.string().nullable(),
  assessedBy: z.string(),
  recordedAt: z.string().datetime(),
});
export const OutcomeRecordedSchema = z.object({
  outcomeId: z.string().uuid(),
  workerId: z.string().uuid(),
  period: PeriodIdSchema,
  outcome: OutcomeSchema,
  note: z.string().max(2000),
  decidedBy: z.string(),
  recordedAt: z.string().datetime(),
});
export type AssessmentRecorded = z.infer<typeof AssessmentRecordedSchema>;
export type OutcomeRecorded = z.infer<typeof OutcomeRecordedSchema>;
export type AssessmentEvent = { type: 'AssessmentRecorded'; data: AssessmentRecorded } | { type: 'PerformanceOutcomeRecorded'; data: OutcomeRecorded };
export const assessmentEvents = {
  AssessmentRecorded: { schema: AssessmentRecordedSchema, version: 1 },
  PerformanceOutcomeRecorded: { schema: OutcomeRecordedSchema, version: 1 },
} satisfies EventCatalog;

export type AssessmentCommand =
  | {
      type: 'RecordAssessment';
      data: Omit<AssessmentRecorded, 'revision' | 'correctionReason' | 'recordedAt'> & { correctionReason: string | null; now: string };
    }
  | { type: 'RecordOutcome'; data: Omit<OutcomeRecorded, 'recordedAt'> & { now: string } };
export type AssessmentState = { revisions: AssessmentRecorded[]; outcomes: OutcomeRecorded[] };

export const assessmentDecider: Decider<AssessmentCommand, AssessmentEvent, AssessmentState> = {
  initialState: () => ({ revisions: [], outcomes: [] }),
  evolve: (state, event) =>
    event.type === 'AssessmentRecorded' ? { ...state, revisions: [...state.revisions, event.data] } : { ...state, outcomes: [...state.outcomes, event.data] },
  decide(command, state) {
    switch (command.type) {
      case 'RecordAssessment': {
        const { now, correctionReason, ...data } = command.data;
        const revision = state.revisions.length + 1;
        // A correction must say why: the committee's earlier score stays in the history.
        if (revision > 1 && !correctionReason?.trim()) {
          throw new DomainRuleViolation(
            'assessment.correction_reason_required',
            `worker ${data.workerId} already has an assessment for ${data.period}; a correction needs a reason`,
            {
              currentRevision: revision - 1,
            },
          );
        }
        return [{ type: 'AssessmentRecorded', data: { ...data, revision, correctionReason: revision > 1 ? correctionReason!.trim() : null, recordedAt: now } }];
      }
      case 'RecordOutcome': {
        const { now, ...data } = command.data;
        return [{ type: 'PerformanceOutcomeRecorded', data: { ...data, recordedAt: now } }];
      }
      default:
        return assertNever(command);
    }
  },
};

export const assessmentStreamId = (workerId: string, period: string) => `assessment-${workerId}-${period}`;
