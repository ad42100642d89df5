import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal } from 'antd';
import { useRef } from 'react';
import { api, newIdempotencyKey } from '../../api/client';
import { unwrap } from '../../api/problem';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLanguage } from '../../i18n/LanguageContext';

interface AssessmentForm {
  discipline: number;
  attitude: number;
  knowledge: number;
  correctionReason?: string;
}

/**
 * The committee's scores for one worker (discipline, attitude, knowledge, 0–100). A worker who
 * already has an assessment this period needs a correction reason; the server says so (problem+json).
 */
export function AssessmentModal({ period, worker, onClose }: { period: string; worker: { id: string; name: string } | null; onClose: () => void }) {
  const { t } = useLanguage();
  const [form] = Form.useForm<AssessmentForm>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  // One key per opening of the form: a retry after a lost answer is the same action.
  const key = useRef(newIdempotencyKey());
  const save = useMutation({
    mutationFn: async (values: AssessmentForm) =>
      unwrap(
        await api.POST('/api/v1/assessments', {
          headers: { 'Idempotency-Key': key.current },
          body: {
            workerId: worker!.id,
            period,
            scores: { discipline: values.discipline, attitude: values.attitude, knowledge: values.knowledge },
            ...(values.correctionReason ? { correctionReason: values.correctionReason } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['committee', 'sheet', period] });
      key.current = newIdempotencyKey();
      form.resetFields();
      // The modal closes on success: without a word the committee could not tell a save from a cancel.
      void message.success(t({ zh: `已保存 ${worker?.name ?? ''} 的评议`, en: `Assessment of ${worker?.name ?? ''} saved` }));
      onClose();
    },
  });
  const score = (name: keyof AssessmentForm, label: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, message: t({ zh: '请填写 0–100 的分数', en: 'A score from 0 to 100' }) }]}>
      <InputNumber min={0} max={100} precision={0} />
    </Form.Item>
  );
  return (
    <Modal
      open={worker !== null}
      title={t({ zh: `评议：${worker?.name ?? ''}（${period}）`, en: `Assess ${worker?.name ?? ''} (${period})` })}
      okText={t({ zh: '保存', en: 'Save' })}
      confirmLoading={save.isPending}
      onOk={() => void form.validateFields().then((values) => save.mutate(values))}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        {score('discipline', t({ zh: '纪律', en: 'Discipline' }))}
        {score('attitude', t({ zh: '态度', en: 'Attitude' }))}
        {score('knowledge', t({ zh: '业务知识', en: 'Knowledge' }))}
        <Form.Item name="correctionReason" label={t({ zh: '更正理由（已有评议时必填）', en: 'Correction reason (when correcting)' })}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
      {save.error ? <ProblemAlert error={save.error} /> : null}
    </Modal>
  );
}
