import { Descriptions, Table, Typography } from 'antd';
import { formatCell, type ReportDocument } from './report-data';

type Row = Record<string, string | number | null>;

/** A report document (the same one the csv, xlsx and printable html render) as on-screen tables. */
export function ReportDocumentView({ doc }: { doc: ReportDocument }) {
  return (
    <>
      <Typography.Title level={5}>{doc.title}</Typography.Title>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} items={doc.meta.map(([label, value], i) => ({ key: i, label, children: value }))} />
      {doc.sections.map((section) => (
        <div key={section.title} style={{ marginTop: 12 }}>
          <Typography.Text strong>{section.title}</Typography.Text>
          <Table<Row>
            size="small"
            rowKey={(_, i) => String(i)}
            dataSource={section.rows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            columns={section.columns.map((c) => ({
              key: c.key,
              title: c.header,
              dataIndex: c.key,
              align: c.type === 'text' ? ('left' as const) : ('right' as const),
              render: (value: string | number | null) => formatCell(value, c.type),
            }))}
            summary={() =>
              section.totals ? (
                <Table.Summary.Row>
                  {section.columns.map((c, i) => (
                    <Table.Summary.Cell key={c.key} index={i} align={c.type === 'text' ? 'left' : 'right'}>
                      <strong>{formatCell(section.totals?.[c.key], c.type)}</strong>
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              ) : null
            }
          />
        </div>
      ))}
      {doc.notes.map((note) => (
        <Typography.Paragraph key={note} type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
          {note}
        </Typography.Paragraph>
      ))}
    </>
  );
}
