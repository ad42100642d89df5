import { Drawer, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components, paths } from '../../api/schema';
import { useLabel, useOptions } from '../../api/vocabularies';
import { CursorTable } from '../../components/CursorTable';
import { useLanguage } from '../../i18n/LanguageContext';

type DataImport = components['schemas']['DataImport'];
type Rejection = components['schemas']['DataImportRejection'];
type ImportQuery = NonNullable<paths['/api/v1/data-imports']['get']['parameters']['query']>;

/** Department data imports (教育、医保、卫健…) with what they found and the rows they rejected. */
export default function ImportsPage() {
  const { t } = useLanguage();
  const label = useLabel();
  const sources = useOptions('data_source');
  const [source, setSource] = useState<ImportQuery['source']>();
  const [open, setOpen] = useState<DataImport | null>(null);

  const columns: TableColumnsType<DataImport> = [
    { title: t({ zh: '来源部门', en: 'Source' }), dataIndex: 'source', render: (code: string) => label('data_source', code) },
    { title: t({ zh: '批次', en: 'Batch' }), dataIndex: 'batchId' },
    { title: t({ zh: '接收日期', en: 'Received' }), dataIndex: 'receivedOn' },
    {
      title: t({ zh: '状态', en: 'Status' }),
      dataIndex: 'status',
      render: (code: string) => <Tag color={code === 'completed' ? 'green' : 'processing'}>{label('import_status', code)}</Tag>,
    },
    { title: t({ zh: '行数', en: 'Rows' }), dataIndex: 'rowCount', align: 'right' },
    { title: t({ zh: '已应用', en: 'Applied' }), dataIndex: 'applied', align: 'right' },
    {
      title: t({ zh: '被拒行', en: 'Rejected' }),
      dataIndex: 'rejected',
      align: 'right',
      render: (n: number) => (n > 0 ? <a data-rejected={n}>{n}</a> : 0),
    },
    { title: t({ zh: '发现线索', en: 'Findings' }), dataIndex: 'findingsRaised', align: 'right' },
  ];

  return (
    <>
      <Typography.Title level={4}>{t({ zh: '部门数据导入', en: 'Data imports' })}</Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          style={{ minWidth: 180 }}
          placeholder={t({ zh: '全部部门', en: 'Every source' })}
          options={sources}
          value={source}
          onChange={setSource}
        />
      </Space>
      <CursorTable<DataImport>
        queryKey={['bureau', 'imports', source]}
        fetchPage={async (page) => unwrap(await api.GET('/api/v1/data-imports', { params: { query: { ...page, ...(source ? { source } : {}) } } }))}
        columns={columns}
        rowKey="id"
        onRow={(x) => ({ onClick: () => setOpen(x) })}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open ? `${label('data_source', open.source)} · ${open.batchId}` : ''}
        width={Math.min(640, globalThis.innerWidth ?? 640)}
      >
        {open && <Rejections dataImport={open} />}
      </Drawer>
    </>
  );
}

/** One import's rejected rows: which row, which field, and the reason in the service's words. */
function Rejections({ dataImport }: { dataImport: DataImport }) {
  const { t } = useLanguage();
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t({
          zh: `共 ${dataImport.rowCount} 行：应用 ${dataImport.applied}，未变 ${dataImport.unchanged}，拒收 ${dataImport.rejected}`,
          en: `${dataImport.rowCount} rows: ${dataImport.applied} applied, ${dataImport.unchanged} unchanged, ${dataImport.rejected} rejected`,
        })}
      </Typography.Paragraph>
      <CursorTable<Rejection & { key: string }>
        queryKey={['bureau', 'imports', dataImport.id, 'rejections']}
        fetchPage={async (page) => {
          const answer = unwrap(await api.GET('/api/v1/data-imports/{id}/rejections', { params: { path: { id: dataImport.id }, query: page } }));
          return { ...answer, items: answer.items.map((r) => ({ ...r, key: `${r.row}:${r.field}` })) };
        }}
        columns={[
          { title: t({ zh: '行号', en: 'Row' }), dataIndex: 'row', align: 'right' },
          { title: t({ zh: '字段', en: 'Field' }), dataIndex: 'field' },
          { title: t({ zh: '原因', en: 'Reason' }), dataIndex: 'message' },
        ]}
        rowKey="key"
      />
    </>
  );
}
