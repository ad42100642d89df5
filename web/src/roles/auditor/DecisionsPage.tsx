import { Button, DatePicker, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useLabel, useOptions } from '../../api/vocabularies';
import { CursorTable } from '../../components/CursorTable';
import { DownloadButton } from '../../components/DownloadButton';
import { useLanguage } from '../../i18n/LanguageContext';
import { amountOf, yuan, type Decision } from './decision-model';
import { decisionQuery, OUTCOMES, type DecisionFilter } from './decision-filter';

/** Every eligibility decision, filtered by program, outcome and decision dates; a row opens the decision. */
export default function DecisionsPage() {
  const { t } = useLanguage();
  const label = useLabel();
  const programs = useOptions('program');
  const navigate = useNavigate();
  const [filter, setFilter] = useState<DecisionFilter>({});
  const query = decisionQuery(filter);

  const columns: TableColumnsType<Decision> = [
    { title: t({ zh: '决定日期', en: 'Decided on' }), dataIndex: 'decisionDate' },
    { title: t({ zh: '项目', en: 'Program' }), dataIndex: 'program', render: (code: string) => label('program', code) },
    {
      title: t({ zh: '结果', en: 'Outcome' }),
      dataIndex: 'outcome',
      render: (code: string) => <Tag color={code === 'denied' || code === 'stopped' ? 'red' : 'green'}>{label('decision', code)}</Tag>,
    },
    {
      title: t({ zh: '金额（元）', en: 'Amount (yuan)' }),
      render: (_, d) => {
        const a = amountOf(d);
        return a ? `${yuan(a.fen)}${a.kind === 'monthly' ? t({ zh: ' /月', en: ' /month' }) : ''}` : '—';
      },
    },
    { title: t({ zh: '政策版本', en: 'Policy' }), render: (_, d) => <Typography.Text code>{d.policy?.id ?? '—'}</Typography.Text> },
    { title: t({ zh: '决定编号', en: 'Decision' }), dataIndex: 'decisionId', render: (id: string) => <Typography.Text code>{id.slice(0, 8)}</Typography.Text> },
  ];

  const exportPath = `/api/v1/decisions/export?${new URLSearchParams({ ...query, format: 'csv' }).toString()}`;
  return (
    <>
      <Typography.Title level={4}>{t({ zh: '救助决定', en: 'Decisions' })}</Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap align="start">
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t({ zh: '全部救助项目', en: 'Every program' })}
          options={programs}
          value={filter.program}
          onChange={(program?: string) => setFilter((f) => ({ ...f, program }))}
          data-testid="filter-program"
        />
        <Select
          allowClear
          style={{ minWidth: 140 }}
          placeholder={t({ zh: '全部结果', en: 'Every outcome' })}
          options={OUTCOMES.map((code) => ({ value: code, label: label('decision', code) }))}
          value={filter.outcome}
          onChange={(outcome?: string) => setFilter((f) => ({ ...f, outcome }))}
        />
        <DatePicker.RangePicker
          onChange={(range) => setFilter((f) => ({ ...f, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') }))}
        />
        <Button onClick={() => setFilter({})}>{t({ zh: '清除筛选', en: 'Clear' })}</Button>
        <DownloadButton path={exportPath} fileName="decisions.csv">
          {t({ zh: '导出 CSV', en: 'Export CSV' })}
        </DownloadButton>
      </Space>
      <CursorTable<Decision>
        queryKey={['auditor', 'decisions', query]}
        fetchPage={async (page) => unwrap(await api.GET('/api/v1/decisions', { params: { query: { ...page, ...query } as never } }))}
        columns={columns}
        rowKey="decisionId"
        onRow={(d) => ({ onClick: () => void navigate(`/auditor/decisions/${d.decisionId}`) })}
      />
    </>
  );
}
