import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Drawer, Form, Grid, Input, Select, Space, Tag, App } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { useLabel } from '../../api/vocabularies';
import { CursorTable } from '../../components/CursorTable';
import { DeadlineBadge } from '../../components/DeadlineBadge';
import { useToday } from '../../session/useToday';
import { MaskedValue } from '../../components/MaskedValue';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLanguage } from '../../i18n/LanguageContext';
import { useSession } from '../../session/SessionContext';
import type { Task } from './worker-api';

/** Tasks raised from department data (detection findings), earliest deadline first, and answering them. */
export default function TasksPage() {
  const { t } = useLanguage();
  const label = useLabel();
  const { session } = useSession();
  const phone = !Grid.useBreakpoint().md;
  const [answering, setAnswering] = useState<Task | null>(null);
  return (
    <Card title={t({ zh: '我的核查任务', en: 'My tasks' })} size="small">
      <CursorTable<Task>
        queryKey={['tasks', session?.sub]}
        pageSize={phone ? 10 : 20}
        fetchPage={async (page) => unwrap(await api.GET('/api/v1/tasks', { params: { query: { assignee: session?.sub, status: 'open', ...page } } }))}
        rowKey="id"
        columns={[
          { title: t({ zh: '对象', en: 'Person' }), dataIndex: 'name', render: (v: string) => <MaskedValue value={v} /> },
          { title: t({ zh: '原因', en: 'Cause' }), dataIndex: 'cause', render: (v: string) => label('finding_cause', v) },
          { title: t({ zh: '严重程度', en: 'Severity' }), dataIndex: 'severity', render: (v: string) => <Tag>{label('severity', v)}</Tag> },
          {
            title: t({ zh: '期限', en: 'Deadline' }),
            dataIndex: 'deadline',
            render: (v: string, task) => <DeadlineBadge due={v} done={task.status === 'closed'} soonDays={3} />,
          },
          {
            title: '',
            key: 'answer',
            render: (_, task) => (
              <Button size="small" type="primary" onClick={() => setAnswering(task)}>
                {t({ zh: '反馈', en: 'Answer' })}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={!!answering}
        onClose={() => setAnswering(null)}
        placement={phone ? 'bottom' : 'right'}
        size={phone ? '80%' : 420}
        title={t({ zh: '反馈核查结果', en: 'Answer the task' })}
        destroyOnHidden
      >
        {answering && <OutcomeForm task={answering} onDone={() => setAnswering(null)} />}
      </Drawer>
    </Card>
  );
}

type OutcomeValues = { outcome: 'referred' | 'no_need' | 'visited_enrolled'; on: string; text: string };

function OutcomeForm({ task, onDone }: { task: Task; onDone: () => void }) {
  const { t } = useLanguage();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<OutcomeValues>();
  const outcome = Form.useWatch('outcome', form);
  const today = useToday();
  const mutation = useMutation({
    mutationFn: async (v: OutcomeValues) => {
      const body =
        v.outcome === 'referred'
          ? { outcome: v.outcome, on: v.on, agency: v.text }
          : v.outcome === 'no_need'
            ? { outcome: v.outcome, on: v.on, reason: v.text }
            : { outcome: v.outcome, on: v.on, applicationId: v.text.trim() };
      return unwrap(await api.POST('/api/v1/tasks/{id}/outcome', { params: { path: { id: task.id } }, body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tasks'] });
      void message.success(t({ zh: '已反馈', en: 'Answered' }));
      onDone();
    },
  });
  const textLabel =
    outcome === 'referred'
      ? t({ zh: '转介机构', en: 'Agency' })
      : outcome === 'visited_enrolled'
        ? t({ zh: '救助申请 ID', en: 'Application id' })
        : t({ zh: '理由', en: 'Reason' });
  return (
    <Form form={form} layout="vertical" initialValues={{ outcome: 'no_need', on: today }} onFinish={(v) => mutation.mutate(v)} disabled={mutation.isPending}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <MaskedValue value={task.name} />
      </Space>
      <Form.Item name="outcome" label={t({ zh: '结果', en: 'Outcome' })}>
        <Select
          options={[
            { value: 'no_need', label: t({ zh: '经核查无需救助', en: 'No need' }) },
            { value: 'referred', label: t({ zh: '已转介', en: 'Referred' }) },
            { value: 'visited_enrolled', label: t({ zh: '已走访并纳入救助', en: 'Visited and enrolled' }) },
          ]}
        />
      </Form.Item>
      <Form.Item name="on" label={t({ zh: '日期', en: 'Date' })} rules={[{ required: true }]}>
        <Input type="date" max={today} />
      </Form.Item>
      <Form.Item name="text" label={textLabel} rules={[{ required: true, message: t({ zh: '必填', en: 'Required' }) }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      {mutation.error && <ProblemAlert error={mutation.error} />}
      <Button type="primary" htmlType="submit" block loading={mutation.isPending} style={{ marginTop: 8 }}>
        {t({ zh: '提交', en: 'Submit' })}
      </Button>
    </Form>
  );
}
