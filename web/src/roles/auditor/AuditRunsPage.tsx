import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Progress, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLanguage } from '../../i18n/LanguageContext';
import { FIGURE_LABELS, percentDone, pollInterval, reportFigures, runVerdict, type AuditRunKind } from './audit-run';

const KINDS: { kind: AuditRunKind; zh: string; en: string }[] = [
  { kind: 'replay', zh: '重放全部决定', en: 'Replay every decision' },
  { kind: 'ledger', zh: '校验账本', en: 'Verify the ledger' },
  { kind: 'chains', zh: '校验哈希链', en: 'Verify the hash chains' },
];

/** Starts an audit run (POST /audit/runs → 202) and follows it (GET /audit/runs/{id}) until its report. */
export default function AuditRunsPage() {
  const { t } = useLanguage();
  return (
    <>
      <Typography.Title level={4}>{t({ zh: '审计运行', en: 'Audit runs' })}</Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        {KINDS.map((k) => (
          <RunCard key={k.kind} kind={k.kind} title={t(k)} />
        ))}
      </Space>
    </>
  );
}

function RunCard({ kind, title }: { kind: AuditRunKind; title: string }) {
  const { t } = useLanguage();
  const [runId, setRunId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/audit/runs', { body: { kind, mode: 'incremental' } })),
    onSuccess: (run) => setRunId(run.id),
  });
  const run = useQuery({
    queryKey: ['auditor', 'run', runId],
    queryFn: async () => unwrap(await api.GET('/api/v1/audit/runs/{id}', { params: { path: { id: runId! } } })),
    enabled: runId !== null,
    refetchInterval: (q) => pollInterval(q.state.data),
  });
  const current = run.data;
  const running = start.isPending || current?.state === 'running';
  return (
    <Card size="small" title={title} data-testid={`run-${kind}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Button type="primary" loading={running} onClick={() => start.mutate()}>
          {t({ zh: '开始运行', en: 'Start' })}
        </Button>
        {start.error ? <ProblemAlert error={start.error} /> : null}
        {run.error ? <ProblemAlert error={run.error} onReload={() => void run.refetch()} /> : null}
        {current ? (
          <>
            <Progress
              percent={percentDone(current) ?? 0}
              status={current.state === 'failed' ? 'exception' : current.state === 'succeeded' ? 'success' : 'active'}
            />
            <Tag data-testid="run-state" color={current.state === 'succeeded' ? 'green' : current.state === 'failed' ? 'red' : 'blue'}>
              {current.state === 'succeeded'
                ? t({ zh: '已完成', en: 'Finished' })
                : current.state === 'failed'
                  ? t({ zh: '失败', en: 'Failed' })
                  : t({ zh: '运行中', en: 'Running' })}
            </Tag>
            <Typography.Text type="secondary">
              {t({ zh: `已处理 ${current.progress.done} 条`, en: `${current.progress.done} done` })}
              {current.progress.total !== null ? ` / ${current.progress.total}` : ''}
            </Typography.Text>
            {current.error ? <Alert type="error" showIcon title={current.error} /> : null}
            <RunVerdict kind={kind} result={current.result} />
            {current.result ? (
              <Descriptions size="small" bordered column={1} data-testid="run-result">
                {reportFigures(current.result).map(([key, value]) => (
                  <Descriptions.Item key={key} label={FIGURE_LABELS[key] ? t(FIGURE_LABELS[key]) : key}>
                    {key === 'ok' ? (value === 'true' ? t({ zh: '通过', en: 'yes' }) : t({ zh: '未通过', en: 'no' })) : value}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ) : null}
          </>
        ) : null}
      </Space>
    </Card>
  );
}

/** The run's conclusion in a sentence, green or red: the figures below are its evidence. */
function RunVerdict({ kind, result }: { kind: AuditRunKind; result: Record<string, unknown> | null }) {
  const { t } = useLanguage();
  const verdict = runVerdict(kind, result);
  if (!verdict) return null;
  return <Alert type={verdict.ok ? 'success' : 'error'} showIcon title={t(verdict.text)} data-testid="run-verdict" />;
}
