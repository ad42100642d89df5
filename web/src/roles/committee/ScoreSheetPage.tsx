import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useRef, useState } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useLabel } from '../../api/vocabularies';
import { DownloadButton } from '../../components/DownloadButton';
import { ProblemAlert } from '../../components/ProblemAlert';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { AssessmentModal } from './AssessmentModal';
import { EvidenceDrawer, type EvidenceTarget } from './EvidenceDrawer';
import { metricLabel } from './metric-labels';
import { excellentCount, inCountyOrder, PERIODS, points, type SheetScore } from './score-sheet';

/**
 * The score sheet of a period: every worker's metrics (a click opens the facts behind one), total,
 * rating (the 优秀 cap marked), ranks in town and county; assessments, publishing and the CSV.
 */
export default function ScoreSheetPage() {
  const { t, language } = useLanguage();
  const label = useLabel();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [period, setPeriod] = useState<string>(PERIODS[0]);
  const [evidence, setEvidence] = useState<EvidenceTarget | null>(null);
  const [assessing, setAssessing] = useState<{ id: string; name: string } | null>(null);
  const sheet = useQuery({
    queryKey: ['committee', 'sheet', period],
    queryFn: async () => unwrap(await api.GET('/api/v1/performance', { params: { query: { period } } })),
  });
  const publishKey = useRef(newIdempotencyKey());
  const publish = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/performance/publish', { headers: { 'Idempotency-Key': publishKey.current }, body: { period } })),
    onSuccess: async () => {
      publishKey.current = newIdempotencyKey();
      await queryClient.invalidateQueries({ queryKey: ['committee', 'sheet', period] });
      void message.success(t({ zh: `${period} 已发布`, en: `${period} published` }));
    },
  });

  const published = sheet.data?.source === 'published';
  const revision = sheet.data?.publication?.revision ?? 0;
  const metricKeys = sheet.data?.items[0]?.metrics.map((m) => m.key) ?? [];
  const columns: TableColumnsType<SheetScore> = [
    { title: t({ zh: '全县排名', en: 'County rank' }), render: (_, s) => s.rank.county ?? '—', fixed: 'left', width: 70 },
    { title: t({ zh: '乡镇排名', en: 'Town rank' }), render: (_, s) => s.rank.town ?? '—' },
    { title: t({ zh: '姓名', en: 'Name' }), dataIndex: 'name' },
    { title: t({ zh: '层级', en: 'Level' }), dataIndex: 'level', render: (code: string) => label('worker_level', code) },
    ...metricKeys.map((key): TableColumnsType<SheetScore>[number] => ({
      title: metricLabel(key, language),
      render: (_, s) => {
        const m = s.metrics.find((x) => x.key === key);
        if (!m) return '—';
        if (m.applicable === false) return <Tag>{t({ zh: '不适用', en: 'N/A' })}</Tag>;
        return (
          <Button
            type="link"
            size="small"
            data-testid={`metric-${key}`}
            disabled={m.evidenceCount === 0}
            onClick={() => setEvidence({ period, workerId: s.workerId, workerName: s.name, metric: key })}
          >
            {m.met}/{m.total}
          </Button>
        );
      },
    })),
    { title: t({ zh: '总分', en: 'Total' }), render: (_, s) => points(s.total) },
    {
      title: t({ zh: '等次', en: 'Rating' }),
      render: (_, s) => (
        <Space size={4}>
          {s.rating ? (
            <Tag color={s.rating === '优秀' ? 'gold' : s.rating === '合格' ? 'green' : 'red'}>{label('rating', s.rating)}</Tag>
          ) : (
            <Tag>{t({ zh: '待评议', en: 'Awaiting' })}</Tag>
          )}
          {s.ratingCapped ? <Tag color="orange">{t({ zh: '受优秀名额限制', en: 'Held by the 优秀 cap' })}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t({ zh: '评议', en: 'Assess' }),
      render: (_, s) => (
        <Button size="small" onClick={() => setAssessing({ id: s.workerId, name: s.name })}>
          {t({ zh: '录入评议', en: 'Assess' })}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Typography.Title level={4}>{t({ zh: '考核评分表', en: 'Score sheet' })}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }} align="start">
        <Select value={period} onChange={setPeriod} options={PERIODS.map((p) => ({ value: p, label: p }))} style={{ width: 120 }} data-testid="period" />
        <DownloadButton path={`/api/v1/performance.csv?period=${encodeURIComponent(period)}`} fileName={`performance-${period}.csv`}>
          {t({ zh: '下载 CSV', en: 'Download CSV' })}
        </DownloadButton>
        {/* A published period can be published again (revision N+1): how a correction made after
            publication becomes the committee's word; before, the button was disabled and a correction stayed unpublished. */}
        <Popconfirm
          title={
            published
              ? t({
                  zh: `将以当前分数发布第 ${revision + 1} 版（含发布后的更正），确定发布？`,
                  en: `Publish revision ${revision + 1} with the current scores?`,
                })
              : t({ zh: '发布后本期分数将冻结，确定发布？', en: 'Publishing freezes the scores. Publish?' })
          }
          onConfirm={() => publish.mutate()}
        >
          <Button type="primary" loading={publish.isPending} disabled={sheet.isPending}>
            {published ? t({ zh: '发布修订版', en: 'Publish a revision' }) : t({ zh: '发布', en: 'Publish' })}
          </Button>
        </Popconfirm>
      </Space>
      {publish.error ? <ProblemAlert error={publish.error} /> : null}
      <QueryState query={sheet} isEmpty={(d) => !d.items.length}>
        {(d) => {
          const { excellent, capped } = excellentCount(d.items);
          return (
            <>
              <Alert
                style={{ marginBottom: 12 }}
                type={d.source === 'published' ? 'success' : 'info'}
                title={
                  d.source === 'published'
                    ? t({ zh: `已发布（第 ${d.publication?.revision ?? 1} 版，${d.publication?.publishedAt.slice(0, 10) ?? ''}）`, en: 'Published' })
                    : t({ zh: '实时分数（未发布）', en: 'Live scores (not published)' })
                }
                description={t({
                  zh: `优秀 ${excellent} 人；${capped} 人因优秀名额限制评为合格。`,
                  en: `${excellent} rated 优秀; ${capped} held to 合格 by the cap.`,
                })}
              />
              <Table<SheetScore>
                size="small"
                rowKey="workerId"
                dataSource={inCountyOrder(d.items)}
                columns={columns}
                scroll={{ x: 'max-content' }}
                pagination={{ pageSize: 20, showSizeChanger: false }}
                data-testid="score-sheet"
              />
            </>
          );
        }}
      </QueryState>
      <EvidenceDrawer target={evidence} onClose={() => setEvidence(null)} />
      <AssessmentModal period={period} worker={assessing} onClose={() => setAssessing(null)} />
    </>
  );
}
