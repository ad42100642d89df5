import { useQuery } from '@tanstack/react-query';
import { Descriptions, Drawer, Select, Space, Statistic, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components, paths } from '../../api/schema';
import { useLabel, useOptions } from '../../api/vocabularies';
import { CursorTable } from '../../components/CursorTable';
import { MaskedValue } from '../../components/MaskedValue';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { percent } from './coverage-model';
import { useCoverage, usePlaceName } from './coverage-query';

type Worker = components['schemas']['Worker'];
type WorkerQuery = NonNullable<paths['/api/v1/workers']['get']['parameters']['query']>;

/** Social workers by level, with certification; a row opens the worker's caseload. */
export default function WorkersPage() {
  const { t } = useLanguage();
  const label = useLabel();
  const place = usePlaceName();
  const coverage = useCoverage();
  const levels = useOptions('worker_level');
  const [level, setLevel] = useState<WorkerQuery['level']>();
  const [open, setOpen] = useState<Worker | null>(null);
  const totals = coverage.data?.totals;

  const columns: TableColumnsType<Worker> = [
    { title: t({ zh: '姓名', en: 'Name' }), dataIndex: 'name', render: (name: string) => <MaskedValue value={name} /> },
    { title: t({ zh: '层级', en: 'Level' }), dataIndex: 'level', render: (code: string) => label('worker_level', code) },
    { title: t({ zh: '乡镇', en: 'Town' }), dataIndex: 'townId', render: (id: string | null) => place(id) },
    { title: t({ zh: '村（社区）', en: 'Village' }), dataIndex: 'villageId', render: (id: string | null) => place(id) },
    {
      title: t({ zh: '职业资格', en: 'Certification' }),
      dataIndex: 'certificationLevel',
      render: (code: string | null) => (code ? <Tag color="blue">{label('certificate_level', code)}</Tag> : <Tag>{t({ zh: '未持证', en: 'None' })}</Tag>),
    },
    { title: t({ zh: '在岗', en: 'Status' }), dataIndex: 'status', render: (code: string) => label('worker_status', code) },
  ];

  return (
    <>
      <Typography.Title level={4}>{t({ zh: '社工队伍', en: 'Workers' })}</Typography.Title>
      {totals && (
        <Space size="large" style={{ marginBottom: 12 }} wrap>
          <Statistic title={t({ zh: '在岗社工', en: 'Employed' })} value={totals.workers ?? '—'} />
          <Statistic title={t({ zh: '持证社工', en: 'Certified' })} value={totals.certifiedWorkers ?? '—'} />
          <Statistic title={t({ zh: '持证率', en: 'Certification rate' })} value={percent(totals.certificationRate)} />
        </Space>
      )}
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t({ zh: '全部层级', en: 'Every level' })}
          options={levels}
          value={level}
          onChange={setLevel}
        />
      </Space>
      <CursorTable<Worker>
        queryKey={['bureau', 'workers', level]}
        fetchPage={async (page) =>
          unwrap(await api.GET('/api/v1/workers', { params: { query: { ...page, status: 'employed', ...(level ? { level } : {}) } } }))
        }
        columns={columns}
        rowKey="id"
        onRow={(x) => ({ onClick: () => setOpen(x) })}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={t({ zh: '工作量', en: 'Caseload' })}
        width={Math.min(440, globalThis.innerWidth ?? 440)}
      >
        {open && <Caseload worker={open} />}
      </Drawer>
    </>
  );
}

/** What one worker carries: groups and households in their care, and their visits due and overdue. */
function Caseload({ worker }: { worker: Worker }) {
  const { t } = useLanguage();
  const label = useLabel();
  const query = useQuery({
    queryKey: ['bureau', 'caseload', worker.id],
    queryFn: async () => unwrap(await api.GET('/api/v1/workers/{id}/caseload', { params: { path: { id: worker.id } } })),
  });
  return (
    <>
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t({ zh: '姓名', en: 'Name' })}>
          <MaskedValue value={worker.name} />
        </Descriptions.Item>
        <Descriptions.Item label={t({ zh: '层级', en: 'Level' })}>{label('worker_level', worker.level)}</Descriptions.Item>
      </Descriptions>
      <QueryState query={query}>
        {(caseload) => (
          <Space size="large" wrap>
            <Statistic title={t({ zh: '包保小组', en: 'Groups' })} value={caseload.groups.length} />
            <Statistic title={t({ zh: '联系户', en: 'Households' })} value={caseload.households.length} />
            <Statistic title={t({ zh: '待走访', en: 'Due' })} value={caseload.due.length} />
            <Statistic
              title={t({ zh: '逾期走访', en: 'Overdue' })}
              value={caseload.overdue.length}
              styles={{ content: { color: caseload.overdue.length ? '#cf1322' : undefined } }}
            />
            <Statistic title={t({ zh: '本期已完成', en: 'Done' })} value={caseload.done} />
          </Space>
        )}
      </QueryState>
    </>
  );
}
