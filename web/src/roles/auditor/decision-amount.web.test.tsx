import { describe, expect, it } from 'vitest';
import { amountOf, type Decision } from './decision-model';

/** GET /decisions answers lean rows: the amount as columns, no eligibility body (issue 20). */
describe('the amount of a decision in the list', () => {
  const row = (extra: Partial<Decision>): Decision => ({
    decisionId: 'd1',
    caseId: 'c1',
    program: 'dibao',
    outcome: 'granted',
    decisionDate: '2023-06-08',
    townId: 't1',
    villageId: 'v1',
    payment: null,
    ...extra,
  });

  it('reads a monthly amount from the row', () => {
    expect(amountOf(row({ monthlyFen: 68000, oneOffFen: null }))).toEqual({ kind: 'monthly', fen: 68000 });
  });

  it('reads a one-off amount from the row', () => {
    expect(amountOf(row({ monthlyFen: null, oneOffFen: 150000 }))).toEqual({ kind: 'oneOff', fen: 150000 });
  });

  it('has no amount for a refusal', () => {
    expect(amountOf(row({ outcome: 'refused', monthlyFen: null, oneOffFen: null }))).toBeNull();
  });
});
