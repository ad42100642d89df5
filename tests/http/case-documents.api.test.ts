import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/test-app';
import { caseDocumentsWorld, ok, type CaseDocumentsWorld } from './case-documents-world';

/** The text of a page as a reader sees it: tags dropped, entities read, whitespace gone. */
const visibleText = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, '');

/** The documents as HTML; Chromium printing them to PDF is case-documents-pdf.system.test.ts. */
describe('printable documents of a case: 公示, 救助决定书, 不予救助通知书', () => {
  let w: CaseDocumentsWorld;
  let ids: CaseDocumentsWorld['ids'];
  let village: Record<string, string>;
  let county: Record<string, string>;
  const call: CaseDocumentsWorld['call'] = (...args) => w.call(...args);
  const documentOf: CaseDocumentsWorld['documentOf'] = (...args) => w.documentOf(...args);
  const html: CaseDocumentsWorld['html'] = (...args) => w.html(...args);
  const decide: CaseDocumentsWorld['decide'] = (...args) => w.decide(...args);

  beforeAll(async () => {
    w = await caseDocumentsWorld();
    ({ ids } = w);
    ({ village, county } = w.headers);
  });
  afterAll(async () => w?.t.close());

  it('answers 409 document-not-available before the case reaches a document, and 404 for a kind its program never has', async () => {
    for (const kind of ['notice', 'decision', 'refusal']) {
      const r = await documentOf(ids.granted!, kind);
      expect(r.statusCode, r.body).toBe(409);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const problem = r.json<{ type: string; kind: string; detail: string }>();
      expect(problem).toMatchObject({ type: '/problems/document-not-available', kind });
      expect(problem.detail).toMatch(/[\u4e00-\u9fff]/);
    }
    const tekunNotice = await documentOf(ids.tekun!, 'notice');
    expect(tekunNotice.statusCode).toBe(404);
    expect(tekunNotice.headers['content-type']).toContain('application/problem+json');
    expect((await documentOf('00000000-0000-4000-8000-000000000000', 'decision')).statusCode).toBe(404);
    expect((await documentOf(ids.granted!, 'invoice')).statusCode).toBe(400);
  });

  it('the 公示 shows the masked name, household size and notice period, from the events', async () => {
    const d = await decide(ids.granted!, '<script>alert("x")</script>经入户核实，家庭困难');
    expect(d.status).toBe('granted');
    const page = await html(ids.granted!, 'notice', village);
    expect(page).toContain('@page { size: A4');
    const text = visibleText(page);
    expect(text).toContain('绥江县民政局');
    expect(text).toContain('最低生活保障公示');
    expect(text).toContain('李*山');
    expect(text).not.toContain('李大山');
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(text).toContain('3人');
    expect(text).toContain('中城镇回望村');
    expect(text).toContain('2023年6月2日至2023年6月9日');
  });

  it('the decision letter: amount in yuan, Chinese dates, the recorded reasons, escaped', async () => {
    const page = await html(ids.granted!, 'decision');
    const text = visibleText(page);
    expect(text).toContain('救助决定书');
    expect(text).toContain('李大山：');
    expect(text).toContain('每月910.00元，自2023年7月1日起按月发放');
    expect(text).toContain('2023年6月1日提出的最低生活保障申请');
    expect(text).toContain('2023年6月15日');
    expect(text).toContain('suijiang-2023');
    // The worker's text is data: escaped, never markup.
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;经入户核实');
  });

  it('the refusal notice lists the failed rules as recorded', async () => {
    const d = await decide(ids.refused!, '');
    expect(d.status).toBe('denied');
    const decision = (await ok(call('GET', `/api/v1/decisions?case=${ids.refused}`, undefined, bearer(w.t.token('auditor'))))).items[0]!;
    const full = await ok(call('GET', `/api/v1/decisions/${decision.decisionId}`, undefined, bearer(w.t.token('auditor'))));
    const failed = full.eligibility.rules.filter((r) => !r.passed).map((r) => r.reason.zh);
    expect(failed.length).toBeGreaterThan(0);
    const text = visibleText(await html(ids.refused!, 'refusal'));
    expect(text).toContain('不予救助通知书');
    expect(text).toContain('赵有钱：');
    for (const reason of failed) expect(text).toContain(reason.replace(/\s+/g, ''));
    expect((await documentOf(ids.refused!, 'decision')).statusCode).toBe(409);
    expect((await documentOf(ids.granted!, 'refusal')).statusCode).toBe(409);
  });

  it('is read as the case is read: masked for a role that may not see names or reasons, refused outside the jurisdiction', async () => {
    const text = visibleText(await html(ids.granted!, 'decision', county));
    expect(text).toContain('李*山：');
    expect(text).not.toContain('李大山');
    expect(text).not.toContain('经入户核实');
    const stranger = bearer(w.t.token('village_worker', '00000000-0000-4000-8000-0000000000aa'));
    const caseRead = await call('GET', `/api/v1/cases/${ids.granted}`, undefined, stranger);
    const documentRead = await documentOf(ids.granted!, 'decision', stranger);
    expect(caseRead.statusCode).toBeGreaterThanOrEqual(403);
    expect(documentRead.statusCode).toBe(caseRead.statusCode);
    expect(documentRead.body).not.toContain('李');
  });
});
