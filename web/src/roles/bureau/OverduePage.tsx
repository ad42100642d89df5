import { useInfiniteQuery } from '@tanstack/react-query';
import { Badge, Button, Collapse, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useLabel } from '../../api/vocabularies';
import { MaskedValue } from '../../components/MaskedValue';
import { DeadlineBadge } from '../../components/DeadlineBadge';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { useCoverage, usePlaceName } from './coverage-query';
import { groupOverdueByVillage, type OverdueItem } from './overdue-by-village';

const PAGE = 200;

/**
 * Overdue visits by village: the API pages overdue obligations (limit / cursor); the screen groups
 * the pages loaded so far by village, worst village first, and loads more on demand.
 */
export default function OverduePage() {
  const { t } = useLanguage();
  const label = useLabel();
  const place = usePlaceName();
  const coverage = useCoverage();
  const [town, setTown] = useState<string | undefined>();
  const query = useInfiniteQuery({
    queryKey: ['bureau', 'overdue', town],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/schedule/overdue', {
          params: { query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}), ...(town ? { town } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const villages = useMemo(() => groupOverdueByVillage(items), [items]);

  return (
    <>
      <Typography.Title level={4}>{t({ zh: '逾期走访（按村）', en: 'Overdue visits by village' })}</Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          style={{ minWidth: 180 }}
          placeholder={t({ zh: '全部乡镇', en: 'Every town' })}
          value={town}
          onChange={setTown}
          options={(coverage.data?.towns ?? []).map((x) => ({ value: x.id, label: x.name }))}
        />
        {query.data && (
          <Typography.Text type="secondary">
            {t({ zh: `已载入 ${items.length} 项，${villages.length} 个村`, en: `${items.length} loaded, ${villages.length} villages` })}
            {query.data.pages[0] && ` · ${query.data.pages[0].asOf}`}
          </Typography.Text>
        )}
      </Space>
      <QueryState query={query} isEmpty={() => items.length === 0} empty={t({ zh: '没有逾期走访', en: 'No overdue visits' })}>
        {() => (
          <>
            <Collapse
              items={villages.map((v) => ({
                key: v.villageId,
                label: (
                  <Space wrap data-village={v.villageId}>
                    <strong>{place(v.villageId)}</strong>
                    <Typography.Text type="secondary">{place(v.townId)}</Typography.Text>
                    <Badge count={v.items.length} overflowCount={9999} />
                    <Typography.Text type="secondary">
                      {t({
                        zh: `${v.groups} 个小组 · ${v.households} 户 · 最早 ${v.oldestDue}`,
                        en: `${v.groups} groups · ${v.households} households · oldest ${v.oldestDue}`,
                      })}
                    </Typography.Text>
                  </Space>
                ),
                children: (
                  <Table<OverdueItem>
                    size="small"
                    rowKey={(x) => `${x.obligation}:${x.groupId}:${x.householdId ?? ''}:${x.month ?? x.dueDate}`}
                    dataSource={v.items}
                    pagination={{ pageSize: 20, hideOnSinglePage: true }}
                    scroll={{ x: 'max-content' }}
                    columns={[
                      { title: t({ zh: '义务', en: 'Obligation' }), dataIndex: 'obligation', render: (code: string) => label('visit_obligation', code) },
                      { title: t({ zh: '村民小组', en: 'Group' }), dataIndex: 'groupId', render: (id: string, x) => x.groupName ?? place(id) },
                      {
                        title: t({ zh: '家庭（户主）', en: 'Household (head)' }),
                        dataIndex: 'householdName',
                        render: (name: string | null) => (name ? <MaskedValue value={name} /> : '—'),
                      },
                      { title: t({ zh: '应访日期', en: 'Due' }), dataIndex: 'dueDate', render: (due: string) => <DeadlineBadge due={due} /> },
                      { title: t({ zh: '上次走访', en: 'Last visit' }), dataIndex: 'lastVisit', render: (d: string | null) => d ?? '—' },
                    ]}
                  />
                ),
              }))}
            />
            {query.hasNextPage && (
              <Button style={{ marginTop: 12 }} loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                {t({ zh: '加载更多', en: 'Load more' })}
              </Button>
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
