import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDocumentsWorld, type CaseDocumentsWorld } from './case-documents-world';

/** Debian's Chromium (never a downloaded browser); the PDF test skips, saying why, only when there is none. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('case-documents: no Chromium at /usr/bin/chromium — the PDF rendering test is skipped (apt-get install chromium fonts-noto-cjk)');

/**
 * The documents of case-documents.api.test.ts as a town office prints them. In the system tier: a
 * Chromium process printing three PDFs was 9 of npm test's seconds (issue 18).
 */
describe('printable documents of a case, printed', () => {
  let w: CaseDocumentsWorld;

  beforeAll(async () => {
    w = await caseDocumentsWorld();
    expect((await w.decide(w.ids.granted!, '经入户核实，家庭困难')).status).toBe('granted');
    expect((await w.decide(w.ids.refused!, '')).status).toBe('denied');
  });
  afterAll(async () => w?.t.close());

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
        const { ids } = w;
        const expected: [string, string, string[]][] = [
          // (民 is left out: its glyph is mapped to the radical ⺠, which has no compatibility form.)
          [ids.granted!, 'notice', ['最低生活保障公示', '李*山', '2023年6月2日至2023年6月9日', '绥江县']],
          [ids.granted!, 'decision', ['救助决定书', '李大山', '910.00元', '2023年7月1日']],
          [ids.refused!, 'refusal', ['不予救助通知书', '赵有钱', '行政复议']],
        ];
        for (const [caseId, kind, phrases] of expected) {
          await page.setContent(await w.html(caseId, kind), { waitUntil: 'load' });
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
