import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { CoverageReport, placeNames } from './coverage-model';

/**
 * The coverage report with every group (`detail=groups`: the service answers a summary by default),
 * parsed at the edge; shared by the board and the screens that need place names. The service keeps
 * the answer until the log moves, so the whole tree costs it one computation a change, not a request.
 */
export function useCoverage() {
  return useQuery({
    queryKey: ['bureau', 'coverage'],
    queryFn: async () => CoverageReport.parse(unwrap(await api.GET('/api/v1/coverage', { params: { query: { detail: 'groups' } } }))),
    staleTime: 60_000,
  });
}

/** Town / village / group names by id; an id while the report loads or when it is outside the caller's area. */
export function usePlaceName(): (id: string | null | undefined) => string {
  const { data } = useCoverage();
  const names = data ? placeNames(data) : undefined;
  return (id) => (id ? (names?.get(id) ?? id.slice(0, 8)) : '—');
}
