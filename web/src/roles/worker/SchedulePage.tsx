import { Button, Card, Drawer, Grid, List, Space, Typography, App } from 'antd';
import { useState } from 'react';
import { useLabel } from '../../api/vocabularies';
import { CursorTable } from '../../components/CursorTable';
import { DeadlineBadge } from '../../components/DeadlineBadge';
import { useLanguage } from '../../i18n/LanguageContext';
import { useSession } from '../../session/SessionContext';
import { GroupName, HouseholdName } from './HouseholdName';
import { kindFor, VisitForm } from './VisitForm';
import { fetchDueThisWeek, fetchOverdue, scheduleKey, type DueItem } from './worker-api';

/**
 * Visits overdue, or due within the week, for the signed-in worker, each with a one-tap
 * "record a visit" that opens the form over the list (full width on a phone).
 */
export function SchedulePage({ which }: { which: 'overdue' | 'due' }) {
  const { t } = useLanguage();
  const label = useLabel();
  const { session } = useSession();
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const [visiting, setVisiting] = useState<DueItem | null>(null);
  const worker = session?.sub ?? '';
  const fetchPage =
    which === 'overdue'
      ? (page: { limit: number; cursor?: string }) => fetchOverdue(worker, page)
      : (page: { limit: number; cursor?: string }) => fetchDueThisWeek(worker, page);
  const recordButton = (item: DueItem) => (
    <Button type="primary" size={phone ? 'middle' : 'small'} onClick={() => setVisiting(item)} data-testid="record-visit">
      {t({ zh: '记录走访', en: 'Record visit' })}
    </Button>
  );
  const target = (item: DueItem) =>
    item.householdId ? <HouseholdName id={item.householdId} name={item.householdName} /> : <GroupName id={item.groupId} name={item.groupName} />;
  return (
    <Card
      title={which === 'overdue' ? t({ zh: '逾期未访', en: 'Overdue visits' }) : t({ zh: '本周应访', en: 'Due this week' })}
      size="small"
      styles={{ body: { padding: phone ? 8 : 16 } }}
    >
      {phone ? (
        <PhoneList which={which} worker={worker} fetchPage={fetchPage} target={target} recordButton={recordButton} />
      ) : (
        <CursorTable<DueItem & { key: string }>
          queryKey={[...scheduleKey, which, worker]}
          fetchPage={async (page) => {
            const answer = await fetchPage(page);
            return { ...answer, items: answer.items.map((item) => ({ ...item, key: keyOf(item) })) };
          }}
          rowKey="key"
          columns={[
            { title: t({ zh: '对象', en: 'Who' }), key: 'target', render: (_, item) => target(item) },
            { title: t({ zh: '小组', en: 'Group' }), key: 'group', render: (_, item) => <GroupName id={item.groupId} name={item.groupName} /> },
            { title: t({ zh: '事项', en: 'Obligation' }), key: 'obligation', render: (_, item) => label('visit_obligation', item.obligation) },
            { title: t({ zh: '应访日期', en: 'Due' }), dataIndex: 'dueDate' },
            { title: t({ zh: '状态', en: 'Status' }), key: 'badge', render: (_, item) => <DeadlineBadge due={item.dueDate} /> },
            { title: t({ zh: '上次走访', en: 'Last visit' }), dataIndex: 'lastVisit', render: (v: string | null) => v ?? '—' },
            { title: '', key: 'action', render: (_, item) => recordButton(item) },
          ]}
        />
      )}
      <Drawer
        open={!!visiting}
        onClose={() => setVisiting(null)}
        placement={phone ? 'bottom' : 'right'}
        size={phone ? '92%' : 420}
        title={t({ zh: '记录走访', en: 'Record a visit' })}
        destroyOnHidden
      >
        {visiting && (
          <>
            <Typography.Paragraph>
              {target(visiting)} · {label('visit_obligation', visiting.obligation)}
            </Typography.Paragraph>
            <VisitForm
              householdId={visiting.householdId}
              groupId={visiting.householdId ? null : visiting.groupId}
              kind={kindFor(visiting.obligation)}
              onDone={(result) => {
                setVisiting(null);
                void message.success(result.late ? t({ zh: '已记录（逾期补访）', en: 'Recorded (late)' }) : t({ zh: '已记录', en: 'Recorded' }));
              }}
            />
          </>
        )}
      </Drawer>
    </Card>
  );
}

const keyOf = (item: DueItem) => `${item.obligation}:${item.householdId ?? item.groupId}:${item.dueDate}`;

/** On a phone: a card per item, the button a thumb's width. */
function PhoneList({
  which,
  worker,
  fetchPage,
  target,
  recordButton,
}: {
  which: string;
  worker: string;
  fetchPage: (page: { limit: number; cursor?: string }) => Promise<{ items: DueItem[]; nextCursor: string | null }>;
  target: (item: DueItem) => React.ReactNode;
  recordButton: (item: DueItem) => React.ReactNode;
}) {
  const label = useLabel();
  return (
    <CursorTable<DueItem & { key: string }>
      queryKey={[...scheduleKey, which, worker]}
      pageSize={10}
      showHeader={false}
      fetchPage={async (page) => {
        const answer = await fetchPage(page);
        return { ...answer, items: answer.items.map((item) => ({ ...item, key: keyOf(item) })) };
      }}
      rowKey="key"
      columns={[
        {
          key: 'card',
          render: (_, item) => (
            <List.Item style={{ padding: 0 }}>
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                  <strong>{target(item)}</strong>
                  <DeadlineBadge due={item.dueDate} />
                </Space>
                <span style={{ color: '#666' }}>
                  <GroupName id={item.groupId} name={item.groupName} /> · {label('visit_obligation', item.obligation)} · {item.dueDate}
                </span>
                {recordButton(item)}
              </Space>
            </List.Item>
          ),
        },
      ]}
    />
  );
}
