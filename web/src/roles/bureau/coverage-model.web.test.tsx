import { describe, expect, it } from 'vitest';
import { CoverageReport, groupGaps, percent, placeNames, townGapCounts, villageGapCounts, villageGaps } from './coverage-model';
import { coverageFixture } from './coverage-fixture';

describe('coverage gaps', () => {
  const report = coverageFixture();
  const [river, hill] = report.towns[0]!.villages as [CoverageReport['towns'][0]['villages'][0], CoverageReport['towns'][0]['villages'][0]];

  it('a group with nobody responsible and no visit this month has both gaps; a covered, visited one none', () => {
    expect(groupGaps(river.groups[1]!)).toEqual(['no-responsible-worker', 'not-visited-this-month']);
    expect(groupGaps(river.groups[0]!)).toEqual([]);
  });

  it('says nothing about visits when the report has no visits facet', () => {
    const { visitedThisMonth: _dropped, ...withoutFacet } = river.groups[1]!;
    expect(groupGaps(withoutFacet)).toEqual(['no-responsible-worker']);
  });

  it('a village whose service point is only planned (or missing) lacks an operating point', () => {
    expect(villageGaps(hill)).toEqual(['no-operating-point']);
    expect(villageGaps({ ...hill, servicePoint: null })).toEqual(['no-operating-point']);
    expect(villageGaps(river)).toEqual([]);
  });

  it('counts the gaps below a village and a town by kind', () => {
    expect(villageGapCounts(river)).toEqual({ 'no-responsible-worker': 1, 'not-visited-this-month': 1, 'no-operating-point': 0 });
    expect(townGapCounts(report.towns[0]!)).toEqual({ 'no-responsible-worker': 1, 'not-visited-this-month': 1, 'no-operating-point': 1 });
  });

  it('reads the API answer at the edge: extra fields pass, a wrong shape is refused', () => {
    const parsed = CoverageReport.parse({ ...report, gaps: {}, totals: { ...report.totals, somethingNew: 1 } });
    expect(parsed.totals).toMatchObject({ somethingNew: 1 });
    expect(() => CoverageReport.parse({ asOf: '2023-12-15', towns: [{ id: 't1' }], totals: {} })).toThrow();
  });

  it('prints rates as percentages and names places by id', () => {
    expect(percent(0.667)).toBe('66.7%');
    expect(percent(null)).toBe('—');
    expect(placeNames(report).get('g2')).toBe('二组');
  });
});
