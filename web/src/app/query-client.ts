import { QueryClient } from '@tanstack/react-query';
import { ApiProblem } from '../api/problem';

/** Refusals (4xx) are answers, not glitches: only network failures and 5xx/429 are retried. */
export const createQueryClient = (): QueryClient =>
  new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 2 && !(error instanceof ApiProblem && error.status >= 400 && error.status < 500 && error.status !== 429),
      },
    },
  });
