import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/domain/detection/observation';
import { evaluateObservation } from '../../src/domain/detection/rules/evaluate';
import { personFoundSignal } from '../../src/domain/detection/rules/person-found';
import { readFileSync } from 'node:fs';
import { DetectionPolicySchema, type DetectionPolicy } from '../../src/domain/detection/detection-policy';

const defaultPolicy = (): DetectionPolicy =>
  DetectionPolicySchema.parse(JSON.parse(readFileSync(new URL('../../policies/detection-policy.default.json', import.meta.url), 'utf8')));

const TODAY = '2026-03-02';
const policy = defaultPolicy();
const run = (observation: Observation, history: Observation[] = [], registeredDisabilityGrade: number | null = null) =>
  evaluateObservation({ observation, history, registeredDisabilityGrade, policy, today: TODAY });
const cost = (settlementId: string, observedOn: string, yuan: number): Observation => ({
  kind: 'medical_cost',
  observedOn,
  settlementId,
  outOfPocketFen: yuan * 100,
  totalCostFen: null,
});
const cert = (grade: number, observedOn = '2026-02-01'): Observation => ({
  kind: 'disability_certificate',
  observedOn,
  disabilityType: 'physical',
  grade,
  certificateNumber: null,
});

describe('detection rules (default policy)', () => {
  describe('illness: out-of-pocket costs over 12 months', () => {
    it('raises nothing below the first threshold (¥20,000)', () => {
      expect(run(cost('S1', '2026-02-01', 19_999))).toEqual([]);
    });
    it('raises medium once the 12-month sum reaches ¥20,000, across settlements', () => {
      expect(run(cost('S2', '2026-02-01', 5_000), [cost('S1', '2025-06-01', 15_000)])).toEqual([
        { cause: 'illness', severity: 'medium', reasons: [expect.stringContaining('¥20000.00')] },
      ]);
    });
    it('raises high at ¥50,000', () => {
      expect(run(cost('S3', '2026-02-01', 30_000), [cost('S1', '2025-06-01', 15_000), cost('S2', '2025-12-01', 5_000)])[0]?.severity).toBe('high');
    });
    it('does not count settlements older than 12 months', () => {
      expect(run(cost('S2', '2026-02-01', 5_000), [cost('S1', '2025-03-01', 15_000)])).toEqual([]);
    });
    it('counts a corrected settlement once, at its latest amount', () => {
      expect(run(cost('S1', '2026-02-01', 10_000), [cost('S1', '2026-02-01', 19_000)])).toEqual([]);
    });
    it('raises high for a recent serious-illness diagnosis, nothing for an old one', () => {
      expect(run({ kind: 'diagnosis', observedOn: '2026-01-05', category: 'serious_illness', condition: null })[0]).toMatchObject({
        cause: 'illness',
        severity: 'high',
      });
      expect(run({ kind: 'diagnosis', observedOn: '2024-01-05', category: 'serious_illness', condition: null })).toEqual([]);
    });
  });

  describe('schooling', () => {
    const status = (s: 'dropout' | 'enrolled' | 'suspended', schoolAid = false, observedOn = '2026-02-01'): Observation => ({
      kind: 'school_status',
      observedOn,
      status: s,
      schoolAid,
      schoolName: null,
    });
    it('raises high for a dropout, medium for a suspension, nothing for an enrolled student', () => {
      expect(run(status('dropout'))[0]?.severity).toBe('high');
      expect(run(status('suspended'))[0]?.severity).toBe('medium');
      expect(run(status('enrolled'))).toEqual([]);
    });
    it('raises low for an enrolled student receiving school aid', () => {
      expect(run(status('enrolled', true))).toEqual([{ cause: 'schooling', severity: 'low', reasons: [expect.stringContaining('school aid')] }]);
    });
    it('ignores a status reported longer ago than the look-back', () => {
      expect(run(status('dropout', false, '2024-12-01'))).toEqual([]);
    });
  });

  describe('disability: new or more severe grade', () => {
    it('raises for a first certificate, by its grade', () => {
      expect(run(cert(3))[0]).toMatchObject({ cause: 'disability', severity: 'medium', reasons: [expect.stringContaining('new disability certificate')] });
    });
    it('raises when the grade is more severe than the registry knows', () => {
      expect(run(cert(2), [], 3)[0]).toMatchObject({ severity: 'high', reasons: [expect.stringContaining('from 3 to 2')] });
    });
    it('raises nothing for the same or a milder grade than a certificate seen before', () => {
      expect(run(cert(3), [cert(3, '2025-01-01')])).toEqual([]);
      expect(run(cert(4), [], 2)).toEqual([]);
    });
  });

  describe('disaster and accident', () => {
    const loss = (eventKind: 'disaster' | 'accident', yuan: number, injury: 'none' | 'minor' | 'serious' = 'none'): Observation => ({
      kind: 'loss_event',
      observedOn: '2026-02-20',
      eventKind,
      lossFen: yuan * 100,
      injury,
      description: null,
    });
    it('raises a disaster finding by loss tier', () => {
      expect(run(loss('disaster', 4_999))).toEqual([]);
      expect(run(loss('disaster', 5_000))[0]).toMatchObject({ cause: 'disaster', severity: 'medium' });
      expect(run(loss('disaster', 20_000))[0]).toMatchObject({ cause: 'disaster', severity: 'high' });
    });
    it('raises an accident finding at the higher of loss and injury', () => {
      expect(run(loss('accident', 3_000, 'serious'))[0]).toMatchObject({ cause: 'accident', severity: 'high' });
      expect(run(loss('accident', 0, 'minor'))[0]).toMatchObject({ cause: 'accident', severity: 'low' });
    });
  });

  describe('poverty-relapse monitoring', () => {
    it('raises a finding of the monitored cause, nothing for "other"', () => {
      expect(run({ kind: 'monitoring', observedOn: '2026-02-01', monitoringType: 'sudden_hardship', riskCause: 'accident' })).toEqual([
        { cause: 'accident', severity: 'high', reasons: [expect.any(String)] },
      ]);
      expect(run({ kind: 'monitoring', observedOn: '2026-02-01', monitoringType: 'sudden_hardship', riskCause: 'other' })).toEqual([]);
    });
  });

  describe('person found', () => {
    it('is raised for anyone listed by an at-risk source, at least at the policy severity', () => {
      expect(personFoundSignal('rural_revitalization', [], policy)).toMatchObject({ severity: 'medium', indicatedCauses: [] });
    });
    it('is not raised for an unremarkable education row, but is when a rule fired, at its severity', () => {
      expect(personFoundSignal('education', [], policy)).toBeNull();
      expect(personFoundSignal('education', [{ cause: 'schooling', severity: 'high', reasons: ['dropout'] }], policy)).toMatchObject({
        severity: 'high',
        indicatedCauses: ['schooling'],
      });
    });
  });
});
