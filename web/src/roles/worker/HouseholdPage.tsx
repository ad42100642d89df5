import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Drawer, Grid, List, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useLabel } from '../../api/vocabularies';
import { MaskedValue } from '../../components/MaskedValue';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { GroupName } from './HouseholdName';
import { VisitForm } from './VisitForm';
import { useHousehold, type Household } from './worker-api';

/** A household as the API shows it to this role (masked where it masks): members, special groups, circumstances, visits, cases. */
export default function HouseholdPage() {
  const { id = '' } = useParams();
  const household = useHousehold(id);
  return <QueryState query={household}>{(data) => <HouseholdView household={data} />}</QueryState>;
}

function HouseholdView({ household }: { household: Household }) {
  const { t } = useLanguage();
  const label = useLabel();
  const phone = !Grid.useBreakpoint().md;
  const [visiting, setVisiting] = useState(false);
  const head = household.members.find((m) => m.relation === 'head') ?? household.members[0];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Card
        size="small"
        title={
          <Space>
            {head ? <MaskedValue value={head.name} /> : '—'}
            <Typography.Text type="secondary">{t({ zh: '家', en: 'household' })}</Typography.Text>
          </Space>
        }
        extra={
          <Button type="primary" onClick={() => setVisiting(true)}>
            {t({ zh: '记录走访', en: 'Record visit' })}
          </Button>
        }
      >
        {household.personalDataMasked && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            title={t({ zh: '身份证号与电话已按您的角色脱敏', en: 'ID numbers and phones are masked for your role' })}
          />
        )}
        <Descriptions size="small" column={phone ? 1 : 3}>
          <Descriptions.Item label={t({ zh: '小组', en: 'Group' })}>
            <GroupName id={household.groupId} />
          </Descriptions.Item>
          <Descriptions.Item label={t({ zh: '住址', en: 'Address' })}>
            <MaskedValue value={household.address} />
          </Descriptions.Item>
          <Descriptions.Item label={t({ zh: '收入稳定性', en: 'Income' })}>{label('income_stability', household.incomeStability)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t({ zh: '家庭成员', en: 'Members' })}>
        <Table
          size="small"
          rowKey="personId"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={household.members}
          columns={[
            { title: t({ zh: '姓名', en: 'Name' }), dataIndex: 'name', render: (v: string) => <MaskedValue value={v} /> },
            { title: t({ zh: '关系', en: 'Relation' }), dataIndex: 'relation', render: (v: string) => label('relation', v) },
            { title: t({ zh: '身份证号', en: 'ID number' }), dataIndex: 'idNumber', render: (v: string | null) => <MaskedValue value={v} /> },
            { title: t({ zh: '劳动能力', en: 'Labour' }), dataIndex: 'labourCapacity', render: (v: string) => label('labour_capacity', v) },
          ]}
        />
      </Card>
      <Card size="small" title={t({ zh: '重点人群', en: 'Special groups' })}>
        <List
          size="small"
          dataSource={household.specialGroups.filter((g) => !g.to)}
          locale={{ emptyText: t({ zh: '无', en: 'None' }) }}
          renderItem={(g) => (
            <List.Item>
              <Tag color="blue">{label('population_group', g.group)}</Tag>
              {g.riskLevel !== null && <Tag color={g.riskLevel >= 3 ? 'red' : 'default'}>{t({ zh: `风险 ${g.riskLevel}`, en: `Risk ${g.riskLevel}` })}</Tag>}
              <Typography.Text type="secondary">{g.from}</Typography.Text>
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={t({ zh: '家庭情况', en: 'Circumstances' })}>
        <List
          size="small"
          dataSource={household.circumstances}
          locale={{ emptyText: t({ zh: '无', en: 'None' }) }}
          renderItem={(c) => (
            <List.Item>
              <Space direction="vertical" size={0}>
                <span>
                  <Tag>{label('need_category', c.category)}</Tag>
                  {c.on}
                </span>
                <span>{c.description}</span>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <HouseholdVisits householdId={household.id} />
      <HouseholdCases householdId={household.id} />
      <Drawer
        open={visiting}
        onClose={() => setVisiting(false)}
        placement={phone ? 'bottom' : 'right'}
        size={phone ? '92%' : 420}
        title={t({ zh: '记录走访', en: 'Record a visit' })}
        destroyOnHidden
      >
        <VisitForm householdId={household.id} onDone={() => setVisiting(false)} />
      </Drawer>
    </Space>
  );
}

function HouseholdVisits({ householdId }: { householdId: string }) {
  const { t } = useLanguage();
  const label = useLabel();
  const visits = useQuery({
    queryKey: ['visits', 'household', householdId],
    queryFn: async () => unwrap(await api.GET('/api/v1/visits', { params: { query: { household: householdId, limit: 20 } } })),
  });
  return (
    <Card size="small" title={t({ zh: '走访记录', en: 'Visits' })}>
      <QueryState query={visits} isEmpty={(d) => d.items.length === 0} empty={t({ zh: '尚无走访', en: 'No visits yet' })}>
        {(data) => (
          <List
            size="small"
            dataSource={data.items}
            renderItem={(v) => (
              <List.Item>
                <Space direction="vertical" size={0}>
                  <span>
                    {v.date} <Tag>{label('visit_kind', v.kind)}</Tag>
                    {v.late && <Tag color="orange">{t({ zh: '逾期补访', en: 'late' })}</Tag>}
                  </span>
                  {v.findings && <span>{v.findings}</span>}
                </Space>
              </List.Item>
            )}
          />
        )}
      </QueryState>
    </Card>
  );
}

function HouseholdCases({ householdId }: { householdId: string }) {
  const { t } = useLanguage();
  const label = useLabel();
  const cases = useQuery({
    queryKey: ['cases', 'household', householdId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases', { params: { query: { household: householdId, limit: 20 } } })),
  });
  return (
    <Card size="small" title={t({ zh: '救助案件', en: 'Assistance cases' })}>
      <QueryState query={cases} isEmpty={(d) => d.items.length === 0} empty={t({ zh: '无案件', en: 'No cases' })}>
        {(data) => (
          <List
            size="small"
            dataSource={data.items}
            renderItem={(c) => (
              <List.Item>
                <Space wrap>
                  <Tag color="purple">{label('program', c.program)}</Tag>
                  <span>{c.status}</span>
                  <Typography.Text type="secondary">{c.appliedOn}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
      </QueryState>
    </Card>
  );
}
