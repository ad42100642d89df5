import { Card, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { paths } from '../../api/schema';
import { useLabel, useOptions } from '../../api/vocabularies';
import { CursorTable } from '../../components/CursorTable';
import { DeadlineBadge } from '../../components/DeadlineBadge';
import { useLanguage } from '../../i18n/LanguageContext';
import { DEADLINE_LABEL, nextDeadline, orderCaseQueue, type AssistanceCase } from './case-queue';
import { usePlaceName } from './coverage-query';

type Program = NonNullable<NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>['program']>;

/**
 * The case queue with its statutory deadlines: the overdue cases first (their own list, so the
 * oldest breach is never on page 3), then every case, each page overdue-first by nearest deadline.
 */
export default function CasesPage() {
  const { t } = useLanguage();
  const label = useLabel();
  const place = usePlaceName();
  const programs = useOptions('program');
  const [program, setProgram] = useState<Program | undefined>();

  const columns: TableColumnsType<AssistanceCase> = [
    {
      title: t({ zh: '时限', en: 'Deadline' }),
      render: (_, x) => {
        const next = nextDeadline(x);
        if (!next) return <Tag>{t({ zh: '无时限', en: 'None running' })}</Tag>;
        return (
          <Space size={4} data-overdue={next.overdue ? 'true' : 'false'}>
            <DeadlineBadge due={next.due} />
            <Typography.Text type="secondary">{t(DEADLINE_LABEL[next.step])}</Typography.Text>
          </Space>
        );
      },
    },
    { title: t({ zh: '项目', en: 'Program' }), dataIndex: 'program', render: (code: string) => label('program', code) },
    { title: t({ zh: '状态', en: 'Status' }), dataIndex: 'status', render: (code: string) => label('case_status', code) },
    { title: t({ zh: '乡镇', en: 'Town' }), dataIndex: 'townId', render: (id: string) => place(id) },
    { title: t({ zh: '村（社区）', en: 'Village' }), dataIndex: 'villageId', render: (id: string) => place(id) },
    { title: t({ zh: '申请日期', en: 'Applied on' }), dataIndex: 'appliedOn' },
    { title: t({ zh: '案件编号', en: 'Case' }), dataIndex: 'id', render: (id: string) => <Typography.Text code>{id.slice(0, 8)}</Typography.Text> },
  ];

  const fetchPage = (overdue: boolean) => async (page: { limit: number; cursor?: string }) => {
    const answer = unwrap(
      await api.GET('/api/v1/cases', { params: { query: { ...page, ...(program ? { program } : {}), ...(overdue ? { overdue: 'true' as const } : {}) } } }),
    );
    return { ...answer, items: orderCaseQueue(answer.items) };
  };

  return (
    <>
      <Typography.Title level={4}>{t({ zh: '案件队列', en: 'Case queue' })}</Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          style={{ minWidth: 180 }}
          placeholder={t({ zh: '全部救助项目', en: 'Every program' })}
          options={programs}
          value={program}
          onChange={(value) => setProgram(value)}
        />
      </Space>
      <Card size="small" title={t({ zh: '已逾期', en: 'Overdue' })} style={{ marginBottom: 12 }} data-testid="overdue-cases">
        <CursorTable<AssistanceCase>
          queryKey={['bureau', 'cases', 'overdue', program]}
          fetchPage={fetchPage(true)}
          columns={columns}
          rowKey="id"
          pageSize={10}
        />
      </Card>
      <Card size="small" title={t({ zh: '全部案件', en: 'All cases' })}>
        <CursorTable<AssistanceCase> queryKey={['bureau', 'cases', 'all', program]} fetchPage={fetchPage(false)} columns={columns} rowKey="id" />
      </Card>
    </>
  );
}
