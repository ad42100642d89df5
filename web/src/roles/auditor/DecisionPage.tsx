import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useLabel } from '../../api/vocabularies';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { amountOf, factText, yuan, type Decision } from './decision-model';
import { RuleList } from './RuleList';

/** One decision as the auditor checks it: facts, policy version and hash, every rule with its reason, amount and computation. */
export default function DecisionPage() {
  const { id = '' } = useParams();
  const { t } = useLanguage();
  const label = useLabel();
  const query = useQuery({
    queryKey: ['auditor', 'decision', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/decisions/{id}', { params: { path: { id } } })) as unknown as Decision,
  });
  return (
    <QueryState query={query}>
      {(d) => {
        const amount = amountOf(d);
        const computation = d.eligibility?.amount?.computation;
        return (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="decision">
            <Typography.Title level={4}>
              {label('program', d.program)} · {label('decision', d.outcome)} · {d.decisionDate}
            </Typography.Title>
            <Card size="small" title={t({ zh: '决定', en: 'Decision' })}>
              <Descriptions size="small" column={{ xs: 1, md: 2 }}>
                <Descriptions.Item label={t({ zh: '决定编号', en: 'Decision' })}>{d.decisionId}</Descriptions.Item>
                <Descriptions.Item label={t({ zh: '案件', en: 'Case' })}>
                  <Link to={`/auditor/cases/${d.caseId}/history`}>{t({ zh: '案件历史', en: 'Case history' })}</Link>
                </Descriptions.Item>
                <Descriptions.Item label={t({ zh: '决定人角色', en: 'Decided by' })}>
                  {d.decidedBy?.role ? label('role', d.decidedBy.role) : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t({ zh: '政策版本', en: 'Policy version' })}>
                  <Typography.Text code data-testid="policy">
                    {d.policy?.id ?? '—'}
                  </Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t({ zh: '政策内容哈希', en: 'Policy hash' })}>
                  <Typography.Text code copyable>
                    {d.policy?.contentHash?.slice(0, 16) ?? '—'}
                  </Typography.Text>
                </Descriptions.Item>
                {d.eligibility?.approval ? (
                  <Descriptions.Item label={t({ zh: '审批层级', en: 'Approval' })}>{t(d.eligibility.approval.reason)}</Descriptions.Item>
                ) : null}
              </Descriptions>
            </Card>
            <Card size="small" title={t({ zh: '金额与计算', en: 'Amount and computation' })}>
              {amount ? (
                <Space direction="vertical">
                  <Typography.Text strong data-testid="amount">
                    {yuan(amount.fen)} {t({ zh: '元', en: 'yuan' })}
                    {amount.kind === 'monthly' ? t({ zh: '/月', en: '/month' }) : t({ zh: '（一次性）', en: ' (one-off)' })}
                  </Typography.Text>
                  {computation ? (
                    <>
                      <Typography.Text>{t(computation)}</Typography.Text>
                      <Typography.Text code>{computation.formula}</Typography.Text>
                    </>
                  ) : null}
                </Space>
              ) : (
                <Tag>{t({ zh: '无金额', en: 'No amount' })}</Tag>
              )}
            </Card>
            <Card size="small" title={t({ zh: '规则及理由', en: 'Rules and reasons' })}>
              <RuleList rules={d.eligibility?.rules ?? []} />
            </Card>
            <Card size="small" title={t({ zh: '认定事实', en: 'Facts' })}>
              <Descriptions size="small" column={1} bordered>
                {Object.entries(d.facts ?? {}).map(([key, value]) => (
                  <Descriptions.Item key={key} label={key}>
                    {factText(value)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Card>
            <Link to="/auditor/decisions">
              <Button>{t({ zh: '返回决定列表', en: 'Back to decisions' })}</Button>
            </Link>
          </Space>
        );
      }}
    </QueryState>
  );
}
