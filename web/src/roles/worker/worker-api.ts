import { useQuery } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components, paths } from '../../api/schema';

/** The worker's reads and writes, each once, so the pages share their cache keys. */
export type DueItem = paths['/api/v1/schedule/overdue']['get']['responses'][200]['content']['application/json']['items'][number];
export type Household = components['schemas']['Household'];
export type VisitBody = NonNullable<paths['/api/v1/visits']['post']['requestBody']>['content']['application/json'];
export type Task = components['schemas']['DetectionTask'];

export const scheduleKey = ['schedule'] as const;

export async function fetchOverdue(worker: string, page: { limit: number; cursor?: string }) {
  return unwrap(await api.GET('/api/v1/schedule/overdue', { params: { query: { worker, ...page } } }));
}

export async function fetchDueThisWeek(worker: string, page: { limit: number; cursor?: string }) {
  return unwrap(await api.GET('/api/v1/schedule/due', { params: { query: { worker, within: '7d', ...page } } }));
}

/** One household, cached: lists show its head's name and the household page the rest. */
export function useHousehold(id: string | null | undefined) {
  return useQuery({
    queryKey: ['household', id],
    enabled: !!id,
    queryFn: async () => unwrap(await api.GET('/api/v1/households/{id}', { params: { path: { id: id! } } })),
    staleTime: 5 * 60_000,
  });
}

export function useGroup(id: string | null | undefined) {
  return useQuery({
    queryKey: ['group', id],
    enabled: !!id,
    queryFn: async () => unwrap(await api.GET('/api/v1/groups/{id}', { params: { path: { id: id! } } })),
    staleTime: 30 * 60_000,
  });
}

/** Records a visit; the key is the user action's (kept across its retries, so a retry never records twice). */
export async function recordVisit(body: VisitBody, idempotencyKey: string = newIdempotencyKey()) {
  return unwrap(await api.POST('/api/v1/visits', { body, headers: { 'Idempotency-Key': idempotencyKey } }));
}
