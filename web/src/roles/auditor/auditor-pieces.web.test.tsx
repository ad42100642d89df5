import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router-dom';
import { api } from '../../api/client';
import { renderInConsole } from '../../test/render';
import { asOfAt, historyStops, type HistoryEvent } from './as-of';
import { runVerdict } from './audit-run';
import CaseHistoryPage from './CaseHistoryPage';
import { amountOf, orderRules, yuan, type Decision, type DecisionRule } from './decision-model';
import { RuleList } from './RuleList';

const rules: DecisionRule[] = [
  { id: 'temporary.sudden_hardship', passed: true, reason: { zh: '因火灾导致基本生活暂时困难', en: 'A fire left the household in hardship' } },
  { id: 'temporary.not_repeated', passed: false, reason: { zh: '同一事由已在 12 个月内救助', en: 'Helped for the same cause within 12 months' } },
];

describe('the rule list of a decision', () => {
  it('shows every rule with its Chinese reason, the failed one first and marked 未通过', () => {
    renderInConsole(<RuleList rules={rules} />);
    const items = screen.getAllByTestId('rule');
    expect(items.map((i) => i.getAttribute('data-rule'))).toEqual(['temporary.not_repeated', 'temporary.sudden_hardship']);
    expect(items[0]!.textContent).toContain('未通过');
    expect(items[0]!.textContent).toContain('同一事由已在 12 个月内救助');
    expect(items[1]!.textContent).toContain('通过');
  });

  it('shows the reasons in English when the console is in English', () => {
    renderInConsole(<RuleList rules={rules} />, { language: 'en' });
    expect(screen.getByText('A fire left the household in hardship')).toBeTruthy();
  });

  it('keeps the policy order within passed and failed rules', () => {
    const r = (id: string, passed: boolean): DecisionRule => ({ id, passed, reason: { zh: id, en: id } });
    expect(orderRules([r('a', true), r('b', false), r('c', true), r('d', false)]).map((x) => x.id)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('reads the amount from the eligibility result, in yuan', () => {
    const d = { eligibility: { amount: { oneOffFen: 150000, computation: { zh: '', en: '', formula: '', values: {} } } } } as unknown as Decision;
    expect(amountOf(d)).toEqual({ kind: 'oneOff', fen: 150000 });
    expect(yuan(150000)).toBe('1,500.00');
  });
});

const events: HistoryEvent[] = [
  { eventId: 'e1', version: 1, type: 'CaseApplied', recordedAt: '2023-06-08T02:00:00.000Z' },
  { eventId: 'e2', version: 2, type: 'CaseAccepted', recordedAt: '2023-06-08T03:00:00.000Z' },
  { eventId: 'e3', version: 3, type: 'EmergencyGranted', recordedAt: '2023-06-08T05:00:00.000Z' },
];

describe('the case history time slider', () => {
  afterEach(() => vi.restoreAllMocks());

  it('asks for the instant it stands on, and for today at its last stop', () => {
    const stops = historyStops(events);
    expect(asOfAt(stops, 0)).toBe('2023-06-08T02:00:00.000Z');
    expect(asOfAt(stops, 1)).toBe('2023-06-08T03:00:00.000Z');
    expect(asOfAt(stops, 2)).toBeUndefined();
  });

  it('stops at each distinct recorded instant in time order, not in stream order (back-dated entries)', () => {
    const backDated = [events[2]!, events[0]!, { ...events[1]!, recordedAt: events[0]!.recordedAt }];
    expect(historyStops(backDated)).toEqual(['2023-06-08T02:00:00.000Z', '2023-06-08T05:00:00.000Z']);
  });

  it('reads the case as of the event the slider moved to', async () => {
    const get = vi.spyOn(api, 'GET').mockImplementation((async (_path: string, init: { params: { query?: { asOf?: string } } }) => {
      const asOf = init.params.query?.asOf;
      const data = asOf
        ? { caseId: 'c1', asOf, status: 'accepted', decisions: [], events: events.slice(0, 2) }
        : { caseId: 'c1', asOf: null, status: 'emergency_granted', decisions: [{}], events };
      return { data, response: new Response(null, { status: 200 }) };
    }) as never);
    renderInConsole(
      <Routes>
        <Route path="/auditor/cases/:id/history" element={<CaseHistoryPage />} />
      </Routes>,
      { path: '/auditor/cases/c1/history' },
    );
    expect((await screen.findByTestId('as-of-status')).textContent).toBe('急难先行救助');
    fireEvent.keyDown(screen.getByRole('slider'), { key: 'ArrowLeft', keyCode: 37 });
    await waitFor(() => expect(screen.getByTestId('as-of-status').textContent).toBe('已受理'));
    expect(get).toHaveBeenCalledWith('/api/v1/cases/{id}/history', { params: { path: { id: 'c1' }, query: { asOf: '2023-06-08T03:00:00.000Z' } } });
  });
});

describe('an audit run’s conclusion', () => {
  it('says in Chinese that the ledger passed, with what was checked', () => {
    const verdict = runVerdict('ledger', { ok: true, eventsRead: 18718, headsChecked: 12, problems: [] });
    expect(verdict?.ok).toBe(true);
    expect(verdict?.text.zh).toBe('账本校验通过：核对 18718 条事件、12 个签名树头，未发现篡改');
  });

  it('counts the mismatches a failed replay found', () => {
    const verdict = runVerdict('replay', { ok: false, decisionsReplayed: 40, mismatches: [{}, {}] });
    expect(verdict?.ok).toBe(false);
    expect(verdict?.text.zh).toBe('重放发现 2 处不一致');
  });

  it('has nothing to say before the report arrives', () => {
    expect(runVerdict('chains', null)).toBeNull();
  });
});
