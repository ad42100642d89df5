import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiProblem, toApiProblem, unwrap } from '../api/problem';
import { renderInConsole } from '../test/render';
import { currentCursor, firstPage, nextPage, previousPage } from './cursor-pages';
import { isMasked, MaskedValue } from './MaskedValue';
import { ProblemAlert } from './ProblemAlert';

const problem = (status: number, type = 'https://example.test/problems/x', extra: object = {}) =>
  new ApiProblem({ type, title: '请求不符合要求', status, ...extra });

describe('problem+json to an Error', () => {
  it('keeps the server’s title, detail, field errors and request id', () => {
    const error = toApiProblem({
      type: '/problems/validation',
      title: '请求不符合要求',
      status: 400,
      detail: '人数必须大于 0',
      errors: [{ path: 'body.peopleServed', message: '必须大于 0' }],
      requestId: 'r-1',
    });
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error.message).toBe('请求不符合要求：人数必须大于 0');
    expect(error.errors).toEqual([{ path: 'body.peopleServed', message: '必须大于 0' }]);
  });

  it('makes a problem of a response that sent none (a proxy page, a dropped connection)', () => {
    expect(toApiProblem(undefined, new Response('<html>', { status: 502, statusText: 'Bad Gateway' })).status).toBe(502);
    expect(toApiProblem(new TypeError('fetch failed')).title).toBe('无法连接服务');
  });

  it('unwrap gives the data of a success and throws the problem of a failure', () => {
    expect(unwrap({ data: { a: 1 }, response: new Response(null, { status: 200 }) })).toEqual({ a: 1 });
    expect(() => unwrap({ error: { type: 't', title: '未找到', status: 404 }, response: new Response(null, { status: 404 }) })).toThrow('未找到');
  });
});

describe('ProblemAlert', () => {
  it('shows the server’s Chinese title, detail and each field error', () => {
    renderInConsole(
      <ProblemAlert error={problem(422, '/problems/rule/x', { detail: '走访日期不能晚于今天', errors: [{ path: 'body.date', message: '日期无效' }] })} />,
    );
    expect(screen.getByText('请求不符合要求')).toBeTruthy();
    expect(screen.getByText('走访日期不能晚于今天')).toBeTruthy();
    expect(screen.getByText('日期无效')).toBeTruthy();
  });

  it('explains a 412 as someone else’s change, with a reload button', () => {
    renderInConsole(<ProblemAlert error={problem(412)} onReload={() => {}} />);
    expect(screen.getByText('有人修改了此记录，请刷新后重试')).toBeTruthy();
    expect(screen.getByRole('button', { name: /刷\s*新/ })).toBeTruthy();
  });
});

describe('MaskedValue', () => {
  it('shows a masked value as the API sent it, marked as masked; a whole one as is', () => {
    expect(isMasked('5306**********123X')).toBe(true);
    expect(isMasked('李秀英')).toBe(false);
    renderInConsole(
      <>
        <MaskedValue value="5306**********123X" />
        <MaskedValue value="李秀英" />
        <MaskedValue value={null} />
      </>,
    );
    expect(screen.getByText('5306**********123X').getAttribute('data-masked')).toBe('true');
    expect(screen.getByText('李秀英').getAttribute('data-masked')).toBeNull();
    expect(screen.getByText('—')).toBeTruthy();
  });
});

describe('cursor pages', () => {
  it('walks forward with the API’s nextCursor and back through the cursors seen', () => {
    let pages = firstPage();
    expect(currentCursor(pages)).toBeUndefined();
    pages = nextPage(pages, 'c2');
    pages = nextPage(pages, 'c3');
    expect(currentCursor(pages)).toBe('c3');
    expect(nextPage(pages, null)).toBe(pages);
    pages = previousPage(pages);
    expect(currentCursor(pages)).toBe('c2');
    // Going forward again from page 2 forgets the old page 3 if the answer changed.
    expect(nextPage(pages, 'c3b').cursors).toEqual([undefined, 'c2', 'c3b']);
    expect(previousPage(firstPage())).toEqual(firstPage());
  });
});
