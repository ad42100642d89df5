import { fireEvent, screen } from '@testing-library/react';
import { useLocation, useNavigate } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { renderInConsole } from '../../test/render';
import { CoverageBoard } from './CoverageBoard';
import { coverageFixture } from './coverage-fixture';
import { drillOf, paramsOf, useDrill } from './coverage-drill';

function Board() {
  const [drill, onDrill] = useDrill();
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output data-testid="address">{location.search}</output>
      <button onClick={() => void navigate(-1)}>back</button>
      <CoverageBoard report={coverageFixture()} drill={drill} onDrill={onDrill} />
    </>
  );
}

describe('the coverage drill', () => {
  it('reads and writes the URL form of a drill', () => {
    expect(drillOf(new URLSearchParams('town=t1&village=v1&gaps=1'))).toEqual({ town: 't1', village: 'v1', gapsOnly: true });
    expect(drillOf(new URLSearchParams(''))).toEqual({ gapsOnly: false });
    expect(paramsOf({ town: 't1', gapsOnly: false })).toEqual({ town: 't1' });
  });

  it('shows the next level in the click itself and keeps it in the address; back climbs a level', () => {
    renderInConsole(<Board />, { path: '/bureau/coverage' });
    fireEvent.click(screen.getByText('青山镇'));
    expect(screen.getByText('山背村')).toBeTruthy();
    expect(screen.queryByText('青山镇', { selector: 'td a' })).toBeNull();
    expect(screen.getByTestId('address').textContent).toBe('?town=t1');
    fireEvent.click(screen.getByText('河湾村'));
    expect(screen.getByText('二组')).toBeTruthy();
    expect(screen.getByTestId('address').textContent).toBe('?town=t1&village=v1');
    fireEvent.click(screen.getByText('back'));
    expect(screen.getByText('山背村')).toBeTruthy();
    expect(screen.queryByText('二组')).toBeNull();
  });

  it('opens at the level the address names', () => {
    renderInConsole(<Board />, { path: '/bureau/coverage?town=t1&village=v1' });
    expect(screen.getByText('一组')).toBeTruthy();
  });
});
