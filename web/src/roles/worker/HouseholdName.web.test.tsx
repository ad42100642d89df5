import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderInConsole } from '../../test/render';
import { GroupName, HouseholdName } from './HouseholdName';

describe('names in the worker lists', () => {
  it('shows the household by the masked head name the list gave, linking to its page, asking nothing more', () => {
    const { queryClient } = renderInConsole(<HouseholdName id="h-1" name="王*汉" />);
    const name = screen.getByText('王*汉');
    expect(name.getAttribute('data-masked')).toBe('true');
    expect(name.closest('a')!.getAttribute('href')).toBe('/worker/households/h-1');
    expect(
      queryClient
        .getQueryCache()
        .getAll()
        .filter((q) => q.queryKey[0] === 'household'),
    ).toEqual([]);
  });

  it('says a name is missing with a dash, never with the id', () => {
    renderInConsole(<HouseholdName id="0b8c2f4e-aaaa" name={null} />);
    expect(screen.getByText('—')).toBeTruthy();
    expect(screen.queryByText(/0b8c2f4e/)).toBeNull();
  });

  it('shows the group by the name the list gave', () => {
    renderInConsole(<GroupName id="g-1" name="安江村三组" />);
    expect(screen.getByText('安江村三组')).toBeTruthy();
  });
});
