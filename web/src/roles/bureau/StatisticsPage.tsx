import { useQuery } from '@tanstack/react-query';
import { Card, Select, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { useCoverage } from './coverage-query';
import { ReportChart } from './ReportChart';
import { ReportDocumentView } from './ReportDocumentView';
import { lastMonths, programChart, townCompletionChart, type ReportDocument } from './report-data';

/** json asked, json answered; a string would mean the service ignored `format`: say so, do not draw it. */
const asDocument = (body: ReportDocument | string): ReportDocument => {
  if (typeof body === 'string') throw new Error('report came back as text');
  return body;
};

/** Monthly statistics (社会救助统计月报) and visit completion, as charts above the report's own tables. */
export default function StatisticsPage() {
  const { t } = useLanguage();
  const coverage = useCoverage();
  // The county's today is the coverage report's date (in demo mode the county's clock, not the machine's).
  const thisMonth = (coverage.data?.asOf ?? new Date().toISOString()).slice(0, 7);
  const [picked, setPicked] = useState<string | undefined>();
  const month = picked ?? thisMonth;
  const [town, setTown] = useState<string | undefined>();

  const statistics = useQuery({
    queryKey: ['bureau', 'reports', 'monthly-statistics', month, town],
    enabled: coverage.isSuccess || coverage.isError,
    queryFn: async () =>
      asDocument(unwrap(await api.GET('/api/v1/reports/monthly-statistics', { params: { query: { month, format: 'json', ...(town ? { town } : {}) } } }))),
  });
  const completion = useQuery({
    queryKey: ['bureau', 'reports', 'visit-completion', town],
    queryFn: async () =>
      asDocument(unwrap(await api.GET('/api/v1/reports/visit-completion', { params: { query: { format: 'json', ...(town ? { town } : {}) } } }))),
  });

  return (
    <>
      <Typography.Title level={4}>{t({ zh: '统计月报', en: 'Monthly statistics' })}</Typography.Title>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          style={{ minWidth: 140 }}
          value={month}
          onChange={setPicked}
          options={lastMonths(thisMonth).map((m) => ({ value: m, label: m }))}
          aria-label={t({ zh: '月份', en: 'Month' })}
        />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t({ zh: '全县', en: 'Whole county' })}
          value={town}
          onChange={setTown}
          options={(coverage.data?.towns ?? []).map((x) => ({ value: x.id, label: x.name }))}
        />
      </Space>
      <Tabs
        items={[
          {
            key: 'assistance',
            label: t({ zh: '社会救助', en: 'Assistance' }),
            children: (
              <QueryState query={statistics} isEmpty={(doc) => doc.sections.every((s) => s.rows.length === 0)}>
                {(doc) => (
                  <>
                    <Card size="small" style={{ marginBottom: 12 }}>
                      <ReportChart
                        data={programChart(doc)}
                        ariaLabel={t({ zh: '分项目户数、人数与支出', en: 'Households, persons and spending by program' })}
                      />
                    </Card>
                    <ReportDocumentView doc={doc} />
                  </>
                )}
              </QueryState>
            ),
          },
          {
            key: 'visits',
            label: t({ zh: '走访完成', en: 'Visit completion' }),
            children: (
              <QueryState query={completion} isEmpty={(doc) => doc.sections.every((s) => s.rows.length === 0)}>
                {(doc) => (
                  <>
                    <Card size="small" style={{ marginBottom: 12 }}>
                      <ReportChart data={townCompletionChart(doc)} ariaLabel={t({ zh: '各乡镇走访完成率', en: 'Visit completion by town' })} />
                    </Card>
                    <ReportDocumentView doc={doc} />
                  </>
                )}
              </QueryState>
            ),
          },
        ]}
      />
    </>
  );
}
