import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/** What this file reads from replies. */
interface Body {
  id: string;
  status: string;
  members: { personId: string; birthDate: string }[];
  items: { decisionId: string }[];
  eligibility: { rules: { passed: boolean; reason: { zh: string } }[] };
}
const ok = async (request: Parameters<typeof expectStatus>[0], status?: number) => (await expectStatus(request, status)) as Body;

/** Debian's Chromium (never a downloaded browser); the PDF test skips, saying why, only when there is none. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('case-documents: no Chromium at /usr/bin/chromium — the PDF rendering test is skipped (apt-get install chromium fonts-noto-cjk)');

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

describe('printable documents of a case: 公示, 救助决定书, 不予救助通知书', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let town: Record<string, string>;
  let village: Record<string, string>;
  let county: Record<string, string>;
  let officer: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const at = (day: string) => t.clock.set(`${day}T02:00:00.000Z`);
  const documentOf = (caseId: string, kind: string, headers = officer) => call('GET', `/api/v1/cases/${caseId}/documents/${kind}`, undefined, headers);
  const html = async (caseId: string, kind: string, headers = officer) => {
    const r = await documentOf(caseId, kind, headers);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    return r.body;
  };

  const household = async (seq: number, members: { name: string; birth: string; relation: string; labour: string }[]) => {
    const h = await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.g1,
        incomeStability: 'unstable',
        members: members.map((m, i) => ({ name: m.name, idNumber: idNumber(m.birth, seq + i), relation: m.relation, labourCapacity: m.labour })),
      }),
      201,
    );
    return { id: h.id, people: h.members.map((m) => ({ personId: m.personId, birthDate: m.birthDate })) };
  };

  /** A 低保 application up to its notice, from the household's facts. */
  const toNotice = async (h: Awaited<ReturnType<typeof household>>, farmingFenPerYear: number) => {
    const c = await ok(
      call('POST', '/api/v1/cases', { program: 'dibao', householdId: h.id, applicantPersonId: h.people[0]!.personId, channel: 'self' }, village),
      201,
    );
    await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}, town));
    const facts = {
      residence: 'rural',
      members: h.people.map((p: { personId: string; birthDate: string }, i: number) => ({
        personId: p.personId,
        birthDate: p.birthDate,
        labourCapacity: i === 0 ? 'partial' : 'none',
      })),
      incomes: [{ source: 'farming', fenPerYear: farmingFenPerYear }],
      property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
      incomeStability: 'unstable',
    };
    await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts }, village));
    at('2023-06-02');
    await ok(call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-06-02', findings: '房屋简陋' }, town));
    return c.id;
  };
  const decide = async (caseId: string, writtenReasons: string) => {
    at('2023-06-02');
    await ok(call('POST', `/api/v1/cases/${caseId}/notice`, { postedOn: '2023-06-02' }, town));
    at('2023-06-15');
    await ok(call('POST', `/api/v1/cases/${caseId}/submit`, {}, town));
    await ok(call('POST', `/api/v1/cases/${caseId}/check`, { result: 'forward' }, county));
    return ok(call('POST', `/api/v1/cases/${caseId}/decision`, { writtenReasons }, officer));
  };

  beforeAll(async () => {
    t = await startTestApp();
    at('2023-05-02');
    admin = bearer(t.token('admin'));
    await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024)) as object), 201);
    await ok(call('POST', '/api/v1/policies', policy2023Input), 201);
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    const worker = async (name: string, level: string, seq: number, posting?: object) =>
      (
        await ok(
          call('POST', '/api/v1/workers', {
            name,
            level,
            phone: '13900000000',
            idNumber: idNumber('1985-03-03', seq),
            hireDate: '2023-01-01',
            ...(posting ? { posting } : {}),
          }),
          201,
        )
      ).id;
    ids.county = await worker('县社工', 'county', 41);
    ids.townW = await worker('镇社工', 'town', 42, { townId: ids.town });
    ids.vA = await worker('村社工', 'village', 43, { villageId: ids.village });
    await ok(call('POST', `/api/v1/workers/${ids.county}/town-links`, { townId: ids.town, from: '2023-01-01' }));
    await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2023-01-01' }));
    county = bearer(t.token('county_worker', ids.county));
    town = bearer(t.token('town_worker', ids.townW));
    village = bearer(t.token('village_worker', ids.vA));
    ids.officer = (await ok(call('POST', '/api/v1/officials', { name: '县民政局审核员', role: 'civil_affairs_officer', from: '2023-01-01' }), 201)).id;
    officer = bearer(t.token('civil_affairs_officer', ids.officer));

    at('2023-06-01');
    const granted = await household(11, [
      { name: '李大山', birth: '1970-02-02', relation: 'head', labour: 'partial' },
      { name: '王小花', birth: '1972-03-03', relation: 'spouse', labour: 'none' },
      { name: '李小山', birth: '2012-04-04', relation: 'child', labour: 'none' },
    ]);
    ids.granted = await toNotice(granted, 600_000);
    at('2023-06-01');
    const refused = await household(21, [{ name: '赵有钱', birth: '1968-08-08', relation: 'head', labour: 'partial' }]);
    ids.refused = await toNotice(refused, 9_000_000);
    const tekun = await household(31, [{ name: '孙老人', birth: '1950-06-01', relation: 'head', labour: 'none' }]);
    ids.tekun = (
      await ok(
        call('POST', '/api/v1/cases', { program: 'tekun', householdId: tekun.id, applicantPersonId: tekun.people[0]!.personId, channel: 'self' }, village),
        201,
      )
    ).id;
  });
  afterAll(async () => t?.close());

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
    const decision = (await ok(call('GET', `/api/v1/decisions?case=${ids.refused}`, undefined, bearer(t.token('auditor'))))).items[0]!;
    const full = await ok(call('GET', `/api/v1/decisions/${decision.decisionId}`, undefined, bearer(t.token('auditor'))));
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
    const stranger = bearer(t.token('village_worker', '00000000-0000-4000-8000-0000000000aa'));
    const caseRead = await call('GET', `/api/v1/cases/${ids.granted}`, undefined, stranger);
    const documentRead = await documentOf(ids.granted!, 'decision', stranger);
    expect(caseRead.statusCode).toBeGreaterThanOrEqual(403);
    expect(documentRead.statusCode).toBe(caseRead.statusCode);
    expect(documentRead.body).not.toContain('李');
  });

  it.skipIf(!CHROMIUM)(
    'prints each document to an A4 PDF in headless Chromium with its Chinese text',
    async () => {
      const { chromium } = await import('playwright-core');
      const { extractText, getDocumentProxy } = await import('unpdf');
      const browser = await chromium.launch({
        executablePath: CHROMIUM!,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      try {
        const page = await browser.newPage();
        const expected: [string, string, string[]][] = [
          // (民 is left out: its glyph is mapped to the radical ⺠, which has no compatibility form.)
          [ids.granted!, 'notice', ['最低生活保障公示', '李*山', '2023年6月2日至2023年6月9日', '绥江县']],
          [ids.granted!, 'decision', ['救助决定书', '李大山', '910.00元', '2023年7月1日']],
          [ids.refused!, 'refusal', ['不予救助通知书', '赵有钱', '行政复议']],
        ];
        for (const [caseId, kind, phrases] of expected) {
          await page.setContent(await html(caseId, kind), { waitUntil: 'load' });
          const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
          const doc = await getDocumentProxy(new Uint8Array(pdf));
          const firstPage = await doc.getPage(1);
          const [, , widthPt, heightPt] = firstPage.view;
          // A4 portrait: 210 × 297 mm = 595.3 × 841.9 pt.
          expect(Math.round(widthPt!)).toBe(595);
          expect(Math.round(heightPt!)).toBe(842);
          const { text } = await extractText(doc, { mergePages: true });
          // Noto CJK maps some glyphs to the Kangxi radical code points (⽣ for 生, ⽉ for 月) in
          // the PDF's ToUnicode table; NFKC reads them back as the ideographs they look like.
          const compact = text.normalize('NFKC').replace(/\s+/g, '');
          for (const phrase of phrases) expect(compact, `${kind}: ${phrase}`).toContain(phrase);
        }
      } finally {
        await browser.close();
      }
    },
    180_000,
  );
});
