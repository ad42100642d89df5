import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, InputNumber, Select } from 'antd';
import { useState } from 'react';
import { newIdempotencyKey } from '../../api/client';
import { useOptions } from '../../api/vocabularies';
import { useToday } from '../../session/useToday';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLanguage } from '../../i18n/LanguageContext';
import { recordVisit as recordVisitOnServer, scheduleKey, type VisitBody } from './worker-api';

export interface VisitFormValues {
  date: string;
  kind: string;
  findings?: string;
  followUp?: string;
  peopleServed?: number | null;
}

/** The form's values as the API's body: one follow-up action a line, blank lines dropped. */
/** A dynamic review (低保 and others) is met only by a review visit; the other obligations by a routine one. */
export const kindFor = (obligation: string): string => (obligation === 'dynamic_review' ? 'review' : 'routine');

export function toVisitBody(target: { householdId?: string | null; groupId?: string | null }, values: VisitFormValues): VisitBody {
  const followUpActions = (values.followUp ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    ...(target.householdId ? { householdId: target.householdId } : { groupId: target.groupId ?? '' }),
    date: values.date,
    kind: values.kind as VisitBody['kind'],
    findings: (values.findings ?? '').trim(),
    followUpActions,
    ...(typeof values.peopleServed === 'number' ? { peopleServed: values.peopleServed } : {}),
  };
}

/**
 * "Record a visit" in one screen a thumb can fill: date (today), kind, findings, follow-up,
 * people served. One Idempotency-Key per form: pressing 保存 again after a lost answer replays
 * the first one instead of recording the visit twice.
 */
export function VisitForm({
  householdId,
  groupId,
  onDone,
  submit = recordVisitOnServer,
  today: givenToday,
  kind = 'routine',
}: {
  householdId?: string | null;
  /** The kind the form starts on: the one that meets the obligation it was opened from. */
  kind?: string;
  groupId?: string | null;
  onDone?: (result: { id: string; late: boolean }) => void;
  submit?: (body: VisitBody, idempotencyKey: string) => Promise<{ id: string; late: boolean }>;
  today?: string;
}) {
  const { t } = useLanguage();
  const sessionToday = useToday();
  const today = givenToday ?? sessionToday;
  const queryClient = useQueryClient();
  const kinds = useOptions('visit_kind');
  const [idempotencyKey] = useState(newIdempotencyKey);
  const mutation = useMutation({
    mutationFn: (values: VisitFormValues) => submit(toVisitBody({ householdId: householdId ?? null, groupId: groupId ?? null }, values), idempotencyKey),
    onSuccess: async (result) => {
      // What is due and overdue changes with the visit; the household's visits too.
      await queryClient.invalidateQueries({ queryKey: scheduleKey });
      await queryClient.invalidateQueries({ queryKey: ['visits'] });
      onDone?.(result);
    },
  });
  return (
    <Form<VisitFormValues>
      layout="vertical"
      initialValues={{ date: today, kind, peopleServed: 1 }}
      onFinish={(values) => mutation.mutate(values)}
      disabled={mutation.isPending}
      requiredMark={false}
    >
      <Form.Item name="date" label={t({ zh: '走访日期', en: 'Date' })} rules={[{ required: true, message: t({ zh: '请选择日期', en: 'Pick a date' }) }]}>
        <Input type="date" max={today} />
      </Form.Item>
      <Form.Item name="kind" label={t({ zh: '走访类型', en: 'Kind' })} rules={[{ required: true, message: t({ zh: '请选择走访类型', en: 'Pick a kind' }) }]}>
        <Select options={kinds} aria-label={t({ zh: '走访类型', en: 'Kind' })} />
      </Form.Item>
      <Form.Item name="findings" label={t({ zh: '走访发现', en: 'Findings' })}>
        <Input.TextArea rows={3} maxLength={5000} />
      </Form.Item>
      <Form.Item name="followUp" label={t({ zh: '后续措施（每行一条）', en: 'Follow-up (one a line)' })}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="peopleServed" label={t({ zh: '服务人数', en: 'People served' })}>
        <InputNumber min={0} max={10000} style={{ width: '100%' }} inputMode="numeric" />
      </Form.Item>
      {mutation.error && (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert error={mutation.error} />
        </div>
      )}
      <Button type="primary" htmlType="submit" block size="large" loading={mutation.isPending}>
        {t({ zh: '保存走访记录', en: 'Save the visit' })}
      </Button>
    </Form>
  );
}
