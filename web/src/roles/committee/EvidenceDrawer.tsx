import { Drawer, Tag, Typography, type TableColumnsType } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { CursorTable } from '../../components/CursorTable';
import { useLanguage } from '../../i18n/LanguageContext';
import { metricLabel } from './metric-labels';
import type { Evidence } from './score-sheet';

export interface EvidenceTarget {
  period: string;
  workerId: string;
  workerName: string;
  metric: string;
}

/** The facts behind one worker's metric (the sheet's met/total), paged from the evidence drill-down. */
export function EvidenceDrawer({ target, onClose }: { target: EvidenceTarget | null; onClose: () => void }) {
  const { t, language } = useLanguage();
  const columns: TableColumnsType<Evidence> = [
    { title: t({ zh: '日期', en: 'Date' }), dataIndex: 'date' },
    { title: t({ zh: '种类', en: 'Kind' }), dataIndex: 'kind', render: (kind: string) => <Typography.Text code>{kind}</Typography.Text> },
    {
      title: t({ zh: '是否达标', en: 'Met' }),
      dataIndex: 'met',
      render: (met: boolean) => <Tag color={met ? 'green' : 'red'}>{met ? t({ zh: '达标', en: 'Met' }) : t({ zh: '未达标', en: 'Not met' })}</Tag>,
    },
    { title: t({ zh: '完成日期', en: 'Done on' }), render: (_, e) => e.by?.date ?? '—' },
    { title: t({ zh: '编号', en: 'ID' }), dataIndex: 'id', render: (id: string) => <Typography.Text code>{id.slice(0, 8)}</Typography.Text> },
  ];
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size="large"
      title={target ? `${target.workerName} · ${metricLabel(target.metric, language)} · ${target.period}` : ''}
      destroyOnHidden
    >
      {target ? (
        <div data-testid="evidence">
          <CursorTable<Evidence>
            queryKey={['committee', 'evidence', target.period, target.workerId, target.metric]}
            fetchPage={async (page) =>
              unwrap(
                await api.GET('/api/v1/performance/{period}/workers/{workerId}/metrics/{metric}/evidence', {
                  params: { path: { period: target.period, workerId: target.workerId, metric: target.metric }, query: page },
                }),
              )
            }
            columns={columns}
            rowKey="id"
          />
        </div>
      ) : null}
    </Drawer>
  );
}
