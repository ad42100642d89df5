import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderInConsole } from '../../test/render';
import { CoverageBoard, type Drill } from './CoverageBoard';
import { coverageFixture } from './coverage-fixture';

const board = (drill: Drill, onDrill = vi.fn()) => ({
  onDrill,
  ...renderInConsole(<CoverageBoard report={coverageFixture()} drill={drill} onDrill={onDrill} />),
});

describe('CoverageBoard', () => {
  it('shows the county totals and each town with its gaps counted', () => {
    board({ gapsOnly: false });
    expect(screen.getByText('66.7%')).toBeTruthy();
    expect(screen.getByText('青山镇')).toBeTruthy();
    expect(screen.getByText('无责任社工 1')).toBeTruthy();
    expect(screen.getByText('无运营服务点 1')).toBeTruthy();
  });

  it('drills from a town to its villages when the row is clicked', () => {
    const { onDrill } = board({ gapsOnly: false });
    fireEvent.click(screen.getByText('青山镇'));
    expect(onDrill).toHaveBeenCalledWith({ town: 't1', gapsOnly: false });
  });

  it('highlights the village without an operating point', () => {
    board({ town: 't1', gapsOnly: false });
    const hill = screen.getByText('山背村').closest('tr')!;
    expect(within(hill).getByText('无运营服务点')).toBeTruthy();
    expect(hill.getAttribute('style')).toContain('background');
    expect(screen.getByText('河湾村').closest('tr')!.getAttribute('style') ?? '').not.toContain('background');
  });

  it('marks the group with nobody responsible and no visit this month; "gaps only" hides the covered ones', () => {
    board({ town: 't1', village: 'v1', gapsOnly: true });
    const row = screen.getByText('二组').closest('tr')!;
    expect(row.querySelector('[data-gap="no-responsible-worker"]')).toBeTruthy();
    expect(row.querySelector('[data-gap="not-visited-this-month"]')).toBeTruthy();
    expect(screen.queryByText('一组')).toBeNull();
  });

  it('speaks English when the console does', () => {
    renderInConsole(<CoverageBoard report={coverageFixture()} drill={{ town: 't1', village: 'v1', gapsOnly: false }} onDrill={() => {}} />, { language: 'en' });
    expect(screen.getByText('No responsible worker')).toBeTruthy();
    expect(screen.getByText('一组')).toBeTruthy();
  });
});
