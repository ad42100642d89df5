import { Drawer, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { paths } from '../../api/schema';
import { useLabel, useOptions } from '../../api/vocabularies';
import { CursorTable } from '../../components/CursorTable';
import { useLanguage } from '../../i18n/LanguageContext';
import { usePlaceName } from './coverage-query';
import { StandardProgress, StationChecklist } from './StationChecklist';
import type { Station } from './station-checklist';

type StationQuery = NonNullable<paths['/api/v1/stations']['get']['parameters']['query']>;

/** Town stations and village service points, each with its 六有 standard; a row opens the checklist. */
export default function StationsPage() {
  const { t } = useLanguage();
  const label = useLabel();
  const place = usePlaceName();
  const kinds = useOptions('station_kind');
  const statuses = useOptions('station_status');
  const [kind, setKind] = useState<StationQuery['kind']>();
  const [status, setStatus] = useState<StationQuery['status']>();
  const [open, setOpen] = useState<string | null>(null);

  const columns: TableColumnsType<Station> = [
    { title: t({ zh: '名称', en: 'Name' }), dataIndex: 'name', render: (name: string) => <a>{name}</a> },
    { title: t({ zh: '类型', en: 'Kind' }), dataIndex: 'kind', render: (code: string) => label('station_kind', code) },
    { title: t({ zh: '乡镇', en: 'Town' }), dataIndex: 'townId', render: (id: string) => place(id) },
    { title: t({ zh: '村（社区）', en: 'Village' }), dataIndex: 'villageId', render: (id: string | null) => place(id) },
    {
      title: t({ zh: '状态', en: 'Status' }),
      dataIndex: 'status',
      render: (code: string) => <Tag color={code === 'operating' ? 'green' : 'default'}>{label('station_status', code)}</Tag>,
    },
    { title: t({ zh: '六有', en: '六有 standard' }), render: (_, x) => <StandardProgress station={x} /> },
    { title: t({ zh: '开放日期', en: 'Opened on' }), dataIndex: 'openedOn', render: (d: string | null) => d ?? '—' },
  ];

  return (
    <>
      <Typography.Title level={4}>{t({ zh: '站点与六有', en: 'Stations and 六有' })}</Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select allowClear style={{ minWidth: 160 }} placeholder={t({ zh: '全部类型', en: 'Every kind' })} options={kinds} value={kind} onChange={setKind} />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t({ zh: '全部状态', en: 'Every status' })}
          options={statuses}
          value={status}
          onChange={setStatus}
        />
      </Space>
      <CursorTable<Station>
        queryKey={['bureau', 'stations', kind, status]}
        fetchPage={async (page) =>
          unwrap(await api.GET('/api/v1/stations', { params: { query: { ...page, ...(kind ? { kind } : {}), ...(status ? { status } : {}) } } }))
        }
        columns={columns}
        rowKey="id"
        onRow={(x) => ({ onClick: () => setOpen(x.id) })}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={t({ zh: '六有清单', en: '六有 checklist' })}
        width={Math.min(480, globalThis.innerWidth ?? 480)}
      >
        {open && <StationChecklist stationId={open} />}
      </Drawer>
    </>
  );
}
