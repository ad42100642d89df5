import { describe, expect, it } from 'vitest';
import { reserveBalance, reserveFundDecider, reserveFundEvents, type ReserveFundEvent } from '../../src/domain/assistance/reserve-fund';
import { given } from './decider-spec';

const T = '00000000-0000-4000-8000-0000000000a1';
const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const now = '2023-06-01T02:00:00.000Z';
const topUp = (id: string, fen: number, on: string) => ({
  type: 'TopUp' as const,
  data: { townId: T, topUpId: id, fen, on, reference: '拨付', today: '2023-06-01', now },
});
const toppedUp = (id: string, fen: number, on: string): ReserveFundEvent => ({
  type: 'ReserveFundToppedUp',
  data: { townId: T, topUpId: id, fen, on, reference: '拨付', recordedAt: now },
});

describe('reserve fund decider', () => {
  it('given no top-ups, when the bureau tops up, then the top-up is recorded', () => {
    given(reserveFundDecider, [], reserveFundEvents)
      .when(topUp(U(1), 500, '2023-06-01'))
      .then([toppedUp(U(1), 500, '2023-06-01')]);
  });
  it('given the same top-up already recorded, when it arrives again, then nothing is recorded twice', () => {
    given(reserveFundDecider, [toppedUp(U(1), 500, '2023-06-01')], reserveFundEvents)
      .when(topUp(U(1), 500, '2023-06-01'))
      .then([]);
  });
  it('refuses a top-up dated after today', () => {
    given(reserveFundDecider, [])
      .when(topUp(U(2), 500, '2023-06-02'))
      .thenThrows('reserve_fund.top_up_in_future');
  });
});

describe('reserve balance as of a day', () => {
  const movements = [
    { kind: 'top_up' as const, fen: 10_000, on: '2023-06-01' },
    { kind: 'draw' as const, fen: 3_000, on: '2023-06-05' },
    { kind: 'draw' as const, fen: 9_000, on: '2023-06-09' },
  ];
  it.each([
    ['2023-05-31', 0, 0, 0],
    ['2023-06-01', 10_000, 0, 10_000],
    ['2023-06-05', 10_000, 3_000, 7_000],
    ['2023-06-09', 10_000, 12_000, -2_000],
  ])('on %s: topped up %i, drawn %i, balance %i', (asOf, toppedUpFen, drawnFen, balanceFen) => {
    expect(reserveBalance(movements, asOf)).toEqual({ toppedUpFen, drawnFen, balanceFen });
  });
});
