import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import { Button, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useLanguage } from '../i18n/LanguageContext';
import { currentCursor, firstPage, nextPage, previousPage } from './cursor-pages';
import { ProblemAlert } from './ProblemAlert';

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * A table over one of the API's cursor-paged lists: asks `limit` rows, then the next page with the
 * answer's `nextCursor`. The query key plus the cursor caches each page (TanStack Query).
 */
export function CursorTable<T extends object>({
  queryKey,
  fetchPage,
  columns,
  rowKey,
  pageSize = 20,
  onRow,
  showHeader = true,
}: {
  queryKey: QueryKey;
  fetchPage: (page: { limit: number; cursor?: string }) => Promise<Page<T>>;
  columns: TableColumnsType<T>;
  rowKey: keyof T & string;
  pageSize?: number;
  onRow?: (row: T) => { onClick?: () => void };
  /** False for a list of cards (one column without a title): no empty header row above them. */
  showHeader?: boolean;
}) {
  const { t } = useLanguage();
  const [pages, setPages] = useState(firstPage);
  const cursor = currentCursor(pages);
  const query = useQuery({
    queryKey: [...queryKey, { limit: pageSize, cursor }],
    queryFn: () => fetchPage({ limit: pageSize, ...(cursor ? { cursor } : {}) }),
    placeholderData: keepPreviousData,
  });
  if (query.error) return <ProblemAlert error={query.error} onReload={() => void query.refetch()} />;
  return (
    <>
      <Table<T>
        size="small"
        rowKey={rowKey}
        columns={columns}
        dataSource={query.data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        showHeader={showHeader}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t({ zh: '暂无数据', en: 'Nothing here' }) }}
        {...(onRow ? { onRow } : {})}
      />
      <Space style={{ marginTop: 8 }}>
        <Button disabled={pages.index === 0} onClick={() => setPages(previousPage)}>
          {t({ zh: '上一页', en: 'Previous' })}
        </Button>
        <span>{t({ zh: `第 ${pages.index + 1} 页`, en: `Page ${pages.index + 1}` })}</span>
        <Button disabled={!query.data?.nextCursor} onClick={() => setPages((p) => nextPage(p, query.data?.nextCursor))}>
          {t({ zh: '下一页', en: 'Next' })}
        </Button>
      </Space>
    </>
  );
}
