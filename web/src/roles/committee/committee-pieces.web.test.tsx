import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { renderInConsole } from '../../test/render';
import { EvidenceDrawer } from './EvidenceDrawer';
import { excellentCount, inCountyOrder, points, type SheetScore } from './score-sheet';

describe('the evidence drawer', () => {
  afterEach(() => vi.restoreAllMocks());

  it("asks for the clicked worker's metric in the period and lists its facts", async () => {
    const get = vi.spyOn(api, 'GET').mockResolvedValue({
      data: {
        period: '2023-H2',
        workerId: 'w1',
        metric: 'visit_completion',
        source: 'live',
        total: 2,
        items: [
          { kind: 'visit_obligation', id: 'ob-00001', date: '2023-07-31', met: true, by: { id: 'v1', date: '2023-07-20' } },
          { kind: 'visit_obligation', id: 'ob-00002', date: '2023-08-31', met: false, by: null },
        ],
        nextCursor: null,
      },
      response: new Response(null, { status: 200 }),
    } as never);
    renderInConsole(<EvidenceDrawer target={{ period: '2023-H2', workerId: 'w1', workerName: '张三', metric: 'visit_completion' }} onClose={() => {}} />);
    expect(await screen.findByText('未达标')).toBeTruthy();
    expect(screen.getByText('达标')).toBeTruthy();
    expect(screen.getByText('2023-07-20')).toBeTruthy();
    expect(get).toHaveBeenCalledWith('/api/v1/performance/{period}/workers/{workerId}/metrics/{metric}/evidence', {
      params: { path: { period: '2023-H2', workerId: 'w1', metric: 'visit_completion' }, query: { limit: 20 } },
    });
  });

  it('asks nothing while closed', () => {
    const get = vi.spyOn(api, 'GET').mockResolvedValue({ data: { items: [] }, response: new Response(null, { status: 200 }) } as never);
    renderInConsole(<EvidenceDrawer target={null} onClose={() => {}} />);
    expect(screen.queryByTestId('evidence')).toBeNull();
    expect(get).not.toHaveBeenCalledWith(expect.stringContaining('/evidence'), expect.anything());
  });
});

const score = (name: string, county: number | null, rating: SheetScore['rating'], ratingCapped = false) =>
  ({ workerId: name, name, rank: { town: null, county }, rating, ratingCapped, total: null }) as unknown as SheetScore;

describe('the score sheet', () => {
  it('lists ranked workers by county rank, the unranked after', () => {
    expect(inCountyOrder([score('丙', null, null), score('乙', 2, '合格'), score('甲', 1, '优秀')]).map((s) => s.name)).toEqual(['甲', '乙', '丙']);
  });

  it('counts 优秀 and those the cap held to 合格', () => {
    expect(excellentCount([score('甲', 1, '优秀'), score('乙', 2, '合格', true), score('丙', 3, '合格')])).toEqual({ excellent: 1, capped: 1 });
  });

  it('prints hundredths of a point with two decimals', () => {
    expect(points(8750)).toBe('87.50');
    expect(points(null)).toBe('—');
  });
});
