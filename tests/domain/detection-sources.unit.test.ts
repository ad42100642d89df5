import { describe, expect, it } from 'vitest';
import { SOURCE_DEFINITIONS } from '../../src/domain/detection/sources';
import { nationalIdCheckChar } from '../../src/domain/shared/national-id';
import { renderFieldMessage } from '../../src/domain/shared/field-messages';

const idFor = (birth: string, seq: number) => {
  const first17 = `530626${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + nationalIdCheckChar(first17);
};

const ID = idFor('1980-02-03', 11);
const issues = (source: keyof typeof SOURCE_DEFINITIONS, row: object) => {
  const result = SOURCE_DEFINITIONS[source].row.safeParse(row);
  return result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), renderFieldMessage(i.message, 'en')]);
};
const parse = (source: keyof typeof SOURCE_DEFINITIONS, row: object) => SOURCE_DEFINITIONS[source].row.parse(row);

describe('department row schemas', () => {
  describe('every source', () => {
    it('normalises the ID number (lower-case x, spaces) and keeps the address code', () => {
      // about one number in eleven has the check character X
      const id = Array.from({ length: 200 }, (_, i) => idFor('1980-02-03', i)).find((n) => n.endsWith('X'))!;
      const row = parse('health', {
        idNumber: ` ${id.toLowerCase()} `,
        name: '张三',
        category: 'serious_illness',
        diagnosedOn: '2026-01-05',
        addressCode: '530626100201001',
      });
      expect(row.subject).toEqual({ idNumber: id, name: '张三', addressCode: '530626100201001' });
    });
    it('rejects a wrong check digit and a missing name, naming the field and never the value', () => {
      const bad = `${ID.slice(0, 17)}${ID[17] === '0' ? '1' : '0'}`;
      const found = issues('health', { idNumber: bad, category: 'serious_illness', diagnosedOn: '2026-01-05' });
      expect(found).toEqual([
        ['idNumber', expect.stringContaining('GB 11643')],
        ['name', 'required'],
      ]);
      expect(JSON.stringify(found)).not.toContain(bad);
    });
  });

  describe('education', () => {
    it('accepts a dropout with school aid given as 是', () => {
      expect(parse('education', { idNumber: ID, name: '王小明', schoolStatus: 'dropout', reportedOn: '2026-02-01', schoolAid: '是' }).observation).toEqual({
        kind: 'school_status',
        observedOn: '2026-02-01',
        status: 'dropout',
        schoolAid: true,
        schoolName: null,
      });
    });
    it('refuses an unknown status and a malformed date', () => {
      expect(issues('education', { idNumber: ID, name: '王小明', schoolStatus: 'expelled', reportedOn: '2026/02/01' })).toEqual([
        ['schoolStatus', expect.stringContaining('must be one of')],
        ['reportedOn', 'must be a date in YYYY-MM-DD form'],
      ]);
    });
  });

  describe('medical insurance', () => {
    it('converts yuan to fen exactly (text or number)', () => {
      const o = parse('medical_insurance', {
        idNumber: ID,
        name: '李四',
        settlementId: 'S1',
        settledOn: '2026-01-10',
        outOfPocket: '12,345.6',
        totalCost: 20000.05,
      }).observation;
      expect(o).toMatchObject({ kind: 'medical_cost', outOfPocketFen: 1_234_560, totalCostFen: 2_000_005 });
    });
    it('refuses three decimals, a negative amount and out-of-pocket above the total', () => {
      expect(issues('medical_insurance', { idNumber: ID, name: '李四', settlementId: 'S1', settledOn: '2026-01-10', outOfPocket: '1.234' })[0]?.[0]).toBe(
        'outOfPocket',
      );
      expect(issues('medical_insurance', { idNumber: ID, name: '李四', settlementId: 'S1', settledOn: '2026-01-10', outOfPocket: '-5' })[0]?.[0]).toBe(
        'outOfPocket',
      );
      expect(
        issues('medical_insurance', { idNumber: ID, name: '李四', settlementId: 'S1', settledOn: '2026-01-10', outOfPocket: '500', totalCost: '100' }),
      ).toEqual([['outOfPocket', 'larger than the total cost']]);
    });
    it('requires the settlement id', () => {
      expect(issues('medical_insurance', { idNumber: ID, name: '李四', settledOn: '2026-01-10', outOfPocket: '5' })).toEqual([['settlementId', 'required']]);
    });
  });

  describe('health', () => {
    it('accepts a serious-illness diagnosis', () => {
      expect(
        parse('health', { idNumber: ID, name: '赵六', category: 'serious_illness', diagnosedOn: '2026-01-05', condition: '尿毒症' }).observation,
      ).toMatchObject({ kind: 'diagnosis', category: 'serious_illness', condition: '尿毒症' });
    });
    it('refuses an unknown category', () => {
      expect(issues('health', { idNumber: ID, name: '赵六', category: 'cold', diagnosedOn: '2026-01-05' })[0]?.[0]).toBe('category');
    });
  });

  describe('disability federation', () => {
    it('accepts a grade given as text', () => {
      expect(
        parse('disability_federation', { idNumber: ID, name: '钱七', disabilityType: 'physical', grade: '2', certifiedOn: '2025-12-01' }).observation,
      ).toMatchObject({ grade: 2, disabilityType: 'physical' });
    });
    it('refuses grade 5 and an unknown type', () => {
      expect(
        issues('disability_federation', { idNumber: ID, name: '钱七', disabilityType: 'other', grade: '5', certifiedOn: '2025-12-01' }).map((i) => i[0]),
      ).toEqual(['disabilityType', 'grade']);
    });
  });

  describe('rural revitalization', () => {
    it('accepts a monitored household with its risk cause', () => {
      expect(
        parse('rural_revitalization', { idNumber: ID, name: '孙八', monitoringType: 'sudden_hardship', riskCause: 'disaster', monitoredOn: '2026-01-20' })
          .observation,
      ).toMatchObject({ kind: 'monitoring', riskCause: 'disaster' });
    });
    it('refuses a missing monitoring type', () => {
      expect(issues('rural_revitalization', { idNumber: ID, name: '孙八', riskCause: 'illness', monitoredOn: '2026-01-20' })).toEqual([
        ['monitoringType', 'required'],
      ]);
    });
  });

  describe('emergency management', () => {
    it('defaults the loss to zero and the injury to none', () => {
      expect(parse('emergency_management', { idNumber: ID, name: '周九', eventKind: 'disaster', occurredOn: '2026-01-02' }).observation).toMatchObject({
        lossFen: 0,
        injury: 'none',
      });
    });
    it('refuses an unknown event kind and injury', () => {
      expect(
        issues('emergency_management', { idNumber: ID, name: '周九', eventKind: 'war', occurredOn: '2026-01-02', injury: 'bad' }).map((i) => i[0]),
      ).toEqual(['eventKind', 'injury']);
    });
  });
});
