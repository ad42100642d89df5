import { Empty, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useLanguage } from '../i18n/LanguageContext';
import { ProblemAlert } from './ProblemAlert';

/** Loading, then the problem, then "nothing here", then the content: every screen's four states. */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { t } = useLanguage();
  if (query.isPending) return <Loading />;
  if (query.error) return <ProblemAlert error={query.error} onReload={() => void query.refetch()} />;
  const data = query.data as T;
  if (isEmpty?.(data)) return <Empty description={empty ?? t({ zh: '暂无数据', en: 'Nothing here' })} />;
  return <>{children(data)}</>;
}

export function Loading() {
  const { t } = useLanguage();
  return (
    <div style={{ padding: 32, textAlign: 'center' }} aria-busy="true">
      <Spin description={t({ zh: '加载中…', en: 'Loading…' })} />
    </div>
  );
}
