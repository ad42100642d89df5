import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useLabel } from '../../api/vocabularies';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { historyStops, type HistoryEvent } from './as-of';
import { AsOfSlider } from './AsOfSlider';

interface CaseHistory {
  caseId: string;
  asOf: string | null;
  status: string;
  decisions: unknown[];
  events: HistoryEvent[];
}

const readHistory = async (id: string, asOf?: string) =>
  unwrap(await api.GET('/api/v1/cases/{id}/history', { params: { path: { id }, query: asOf ? { asOf } : {} } })) as unknown as CaseHistory;

/**
 * A case's history with a time slider: the full event list sets the slider's stops, and each stop
 * reads the case as it stood then (GET /cases/{id}/history?asOf=…): its status, decisions and events.
 */
export default function CaseHistoryPage() {
  const { id = '' } = useParams();
  const { t } = useLanguage();
  const label = useLabel();
  const full = useQuery({ queryKey: ['auditor', 'case-history', id], queryFn: () => readHistory(id) });
  const [stop, setStop] = useState<number | null>(null);
  const [asOf, setAsOf] = useState<string | undefined>();
  const atMoment = useQuery({
    queryKey: ['auditor', 'case-history', id, asOf],
    queryFn: () => readHistory(id, asOf),
    enabled: asOf !== undefined,
    placeholderData: keepPreviousData,
  });
  return (
    <QueryState query={full} isEmpty={(h) => !h.events.length}>
      {(history) => {
        const shown = asOf !== undefined && atMoment.data ? atMoment.data : history;
        const stops = historyStops(history.events);
        return (
          <>
            <Typography.Title level={4}>{t({ zh: '案件历史', en: 'Case history' })}</Typography.Title>
            <Card size="small" title={t({ zh: '时间回溯', en: 'As of' })} style={{ marginBottom: 12 }}>
              <AsOfSlider
                stops={stops}
                stop={stop ?? stops.length - 1}
                onMove={(next, moment) => {
                  setStop(next);
                  setAsOf(moment);
                }}
              />
              <Descriptions size="small" column={{ xs: 1, md: 3 }} data-testid="as-of-state">
                <Descriptions.Item label={t({ zh: '时点', en: 'As of' })}>{shown.asOf ?? t({ zh: '当前', en: 'Now' })}</Descriptions.Item>
                <Descriptions.Item label={t({ zh: '状态', en: 'Status' })}>
                  <Tag data-testid="as-of-status">{label('case_status', shown.status)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t({ zh: '决定数', en: 'Decisions' })}>{shown.decisions.length}</Descriptions.Item>
              </Descriptions>
            </Card>
            <Table<HistoryEvent>
              size="small"
              rowKey="eventId"
              dataSource={shown.events}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              loading={atMoment.isFetching}
              columns={[
                { title: '#', dataIndex: 'version' },
                { title: t({ zh: '记录时间', en: 'Recorded' }), dataIndex: 'recordedAt' },
                { title: t({ zh: '事件', en: 'Event' }), dataIndex: 'type', render: (type: string) => <Typography.Text code>{type}</Typography.Text> },
                { title: t({ zh: '操作人角色', en: 'Role' }), render: (_, e) => (e.actor?.role ? label('role', e.actor.role) : '—') },
                {
                  title: t({ zh: '哈希', en: 'Hash' }),
                  dataIndex: 'hash',
                  render: (h?: string) => <Typography.Text code>{h?.slice(0, 12) ?? '—'}</Typography.Text>,
                },
              ]}
            />
          </>
        );
      }}
    </QueryState>
  );
}
