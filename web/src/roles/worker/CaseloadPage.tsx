import { useQuery } from '@tanstack/react-query';
import { Card, Col, List, Row, Statistic } from 'antd';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { QueryState } from '../../components/QueryState';
import { useLanguage } from '../../i18n/LanguageContext';
import { useSession } from '../../session/SessionContext';
import { GroupName, HouseholdName } from './HouseholdName';

/** My groups and households: the worker's caseload, with what is due and overdue counted. */
export default function CaseloadPage() {
  const { t } = useLanguage();
  const { session } = useSession();
  const caseload = useQuery({
    queryKey: ['schedule', 'caseload', session?.sub],
    queryFn: async () => unwrap(await api.GET('/api/v1/workers/{id}/caseload', { params: { path: { id: session!.sub } } })),
  });
  return (
    <QueryState query={caseload}>
      {(data) => (
        <Row gutter={[12, 12]}>
          <Col xs={8}>
            <Card size="small">
              <Statistic
                title={t({ zh: '逾期', en: 'Overdue' })}
                value={data.overdue.length}
                styles={{ content: { color: data.overdue.length ? '#cf1322' : undefined } }}
              />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t({ zh: '待访', en: 'Due' })} value={data.due.length} />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t({ zh: '已完成', en: 'Done' })} value={data.done} />
            </Card>
          </Col>
          <Col xs={24} md={8}>
            <Card size="small" title={t({ zh: '我的村民小组', en: 'My villager groups' })}>
              <List
                size="small"
                dataSource={data.groups}
                renderItem={(id) => (
                  <List.Item>
                    <GroupName id={id} name={data.names.groups[id]} />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
          <Col xs={24} md={16}>
            <Card size="small" title={t({ zh: `我的家庭（${data.households.length}）`, en: `My households (${data.households.length})` })}>
              <List
                size="small"
                dataSource={data.households}
                pagination={{ pageSize: 15, size: 'small', showSizeChanger: false }}
                renderItem={(id) => (
                  <List.Item>
                    <HouseholdName id={id} name={data.names.households[id]} />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        </Row>
      )}
    </QueryState>
  );
}
