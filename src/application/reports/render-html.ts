import type { ReportDocument } from '../../domain/reports/report-document';
import { formatCell } from './render-csv';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A printable page: Chinese, A4 landscape, the table header repeated on every page, each section
 * on its own page, signature lines at the foot. Self-contained (no scripts, no external assets),
 * served with a restrictive Content-Security-Policy.
 */
export function reportHtml(doc: ReportDocument): string {
  const sections = doc.sections
    .map((s, i) => {
      const head = s.columns.map((c) => `<th style="width:${c.width ?? 10}ch">${esc(c.header)}</th>`).join('');
      const cells = (row: Record<string, unknown>) =>
        s.columns.map((c) => `<td class="${c.type === 'text' ? 't' : 'n'}">${esc(formatCell(c, row[c.key] as never))}</td>`).join('');
      const body = s.rows.map((r) => `<tr>${cells(r)}</tr>`).join('\n');
      const foot = s.totals ? `<tfoot><tr class="total">${cells(s.totals)}</tr></tfoot>` : '';
      const empty = s.rows.length === 0 ? `<tr><td colspan="${s.columns.length}" class="t">（无）</td></tr>` : '';
      return `<section class="${i > 0 ? 'break' : ''}">
<h2>${esc(s.title)}</h2>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}${empty}
</tbody>
${foot}
</table>
</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${esc(doc.title)}</title>
<style>
@page { size: A4 landscape; margin: 12mm 10mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", serif; font-size: 10.5pt; color: #000; margin: 0; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 4mm 0 2mm; }
dl.meta { display: flex; flex-wrap: wrap; gap: 1mm 8mm; margin: 0 0 3mm; }
dl.meta div { display: flex; gap: 2mm; } dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.5pt solid #000; padding: 1mm 1.5mm; word-break: break-all; }
th { background: #eee; font-weight: bold; text-align: center; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } td.t { text-align: left; }
thead { display: table-header-group; } tfoot { display: table-row-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
tr.total td { font-weight: bold; }
section.break { page-break-before: always; break-before: page; }
.notes { margin-top: 4mm; font-size: 9pt; } .notes p { margin: 0.5mm 0; }
.signatures { margin-top: 8mm; display: flex; justify-content: space-between; }
@media screen { body { margin: 10mm; } }
</style>
</head>
<body>
<h1>${esc(doc.title)}</h1>
<dl class="meta">${doc.meta.map(([k, v]) => `<div><dt>${esc(k)}：</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
${sections || '<p>（本期无数据）</p>'}
<div class="notes">${doc.notes.map((n) => `<p>注：${esc(n)}</p>`).join('')}</div>
<div class="signatures">${doc.signatures.map((s) => `<span>${esc(s)}</span>`).join('')}</div>
</body>
</html>
`;
}
