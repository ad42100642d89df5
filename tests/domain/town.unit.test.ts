import { describe, expect, it } from 'vitest';
import { townDecider } from '../../src/domain/geography/town.decide';
import type { TownEvent } from '../../src/domain/geography/town.events';
import { fold } from '../../src/domain/shared/decider';

const townId = '6f1c1f2e-8a53-4a43-9d0e-2f3a3c2b1a00';
const registered: TownEvent = { type: 'TownRegistered', data: { townId, code: '530626100', name: '中城镇', registeredAt: '2026-01-01T00:00:00.000Z' } };
const register = { type: 'RegisterTown' as const, data: { townId, code: '530626100', name: '中城镇', now: '2026-01-01T00:00:00.000Z' } };

describe('town decider', () => {
  describe('given no town', () => {
    it('registers it with the time from the command', () => {
      expect(townDecider.decide(register, fold(townDecider, []))).toEqual([registered]);
    });
  });
  describe('given a registered town', () => {
    it('refuses to register it again', () => {
      expect(() => townDecider.decide(register, fold(townDecider, [registered]))).toThrow(expect.objectContaining({ rule: 'town.already_registered' }));
    });
  });
});
