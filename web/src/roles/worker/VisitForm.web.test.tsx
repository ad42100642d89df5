import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiProblem } from '../../api/problem';
import { renderInConsole } from '../../test/render';
import { kindFor, toVisitBody, VisitForm } from './VisitForm';
import type { VisitBody } from './worker-api';

const HOUSEHOLD = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';

describe('the visit form’s body', () => {
  it('sends one follow-up action a line, trims, and leaves people served out when empty', () => {
    expect(
      toVisitBody(
        { householdId: HOUSEHOLD },
        { date: '2023-12-20', kind: 'routine', findings: ' 老人独居 ', followUp: '联系村医\n\n  申请临时救助 ', peopleServed: null },
      ),
    ).toEqual({
      householdId: HOUSEHOLD,
      date: '2023-12-20',
      kind: 'routine',
      findings: '老人独居',
      followUpActions: ['联系村医', '申请临时救助'],
    });
    expect(toVisitBody({ groupId: 'g-1' }, { date: '2023-12-20', kind: 'care', peopleServed: 3 })).toMatchObject({
      groupId: 'g-1',
      peopleServed: 3,
      followUpActions: [],
    });
  });
});

describe('the kind a form starts on', () => {
  it('is a review visit for a dynamic review (a routine visit would leave it overdue), routine otherwise', () => {
    expect(kindFor('dynamic_review')).toBe('review');
    expect(kindFor('household_monthly_visit')).toBe('routine');
    expect(kindFor('group_monthly_visit')).toBe('routine');
  });
});

describe('VisitForm', () => {
  it('sends the kind it was opened with', async () => {
    const submit = vi.fn(async (_body: VisitBody, _key: string) => ({ id: 'v-r', late: false }));
    const onDone = vi.fn();
    renderInConsole(<VisitForm householdId={HOUSEHOLD} kind="review" submit={submit} onDone={onDone} today="2023-12-20" />);
    fireEvent.click(screen.getByRole('button', { name: '保存走访记录' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(submit.mock.calls[0]?.[0]).toMatchObject({ householdId: HOUSEHOLD, kind: 'review' });
  });

  it('records the visit with today’s date and reports the answer', async () => {
    const submit = vi.fn(async (_body: VisitBody, _key: string) => ({ id: 'v-1', late: true }));
    const onDone = vi.fn();
    renderInConsole(<VisitForm householdId={HOUSEHOLD} submit={submit} onDone={onDone} today="2023-12-20" />);
    fireEvent.change(screen.getByLabelText('走访发现'), { target: { value: '屋顶漏雨' } });
    fireEvent.change(screen.getByLabelText('后续措施（每行一条）'), { target: { value: '报村委' } });
    fireEvent.click(screen.getByRole('button', { name: '保存走访记录' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith({ id: 'v-1', late: true }));
    expect(submit.mock.calls[0]?.[0]).toEqual({
      householdId: HOUSEHOLD,
      date: '2023-12-20',
      kind: 'routine',
      findings: '屋顶漏雨',
      followUpActions: ['报村委'],
      peopleServed: 1,
    });
  });

  it('shows the server’s refusal in Chinese and retries with the same Idempotency-Key', async () => {
    const submit = vi
      .fn<(body: VisitBody, key: string) => Promise<{ id: string; late: boolean }>>()
      .mockRejectedValueOnce(
        new ApiProblem({ type: '/problems/rule/visit.date_in_future', title: '违反业务规则', status: 422, detail: '走访日期不能晚于今天' }),
      )
      .mockResolvedValueOnce({ id: 'v-2', late: false });
    const onDone = vi.fn();
    renderInConsole(<VisitForm householdId={HOUSEHOLD} submit={submit} onDone={onDone} today="2023-12-20" />);
    fireEvent.click(screen.getByRole('button', { name: '保存走访记录' }));
    expect(await screen.findByText('走访日期不能晚于今天')).toBeTruthy();
    expect(onDone).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: '保存走访记录' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const [first, second] = submit.mock.calls;
    expect(first?.[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.[1]).toBe(first?.[1]);
  });

  it('does not send a visit without a date', async () => {
    const submit = vi.fn(async () => ({ id: 'v', late: false }));
    renderInConsole(<VisitForm householdId={HOUSEHOLD} submit={submit} today="2023-12-20" />);
    fireEvent.change(screen.getByLabelText('走访日期'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: '保存走访记录' }));
    expect(await screen.findByText('请选择日期')).toBeTruthy();
    expect(submit).not.toHaveBeenCalled();
  });
});
