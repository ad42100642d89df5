import { chineseDate, DOCUMENT_TITLES, PROGRAM_NAMES, type CaseDocument } from '../../../domain/assistance/case-documents';
import { yuan } from '../../../domain/reports/report-document';

/** Every text that reaches the page goes through here: recorded reasons and names are data, never markup. */
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const yuanText = (fen: number) => `${yuan(fen)}元`;
const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;
const reasonList = (reasons: readonly string[]) =>
  reasons.length ? `<ol class="reasons">${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ol>` : '';
/** Free text recorded by a worker (masked as *** for a caller who may not read it). */
const written = (text: string) => (text.trim() ? `<p class="written">${escapeHtml(text)}</p>` : '');

const APPEAL = '如对本决定不服，可以自收到本文书之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。';

function body(doc: CaseDocument, bureau: string): { title: string; content: string; dated: string } {
  const where = `${doc.townName}${doc.villageName}`;
  switch (doc.kind) {
    case 'notice':
      return {
        title: `${PROGRAM_NAMES[doc.program]}公示`,
        dated: doc.postedOn,
        content: [
          paragraph(`根据《最低生活保障审核确认办法》，经入户调查和家庭经济状况核查，现将以下最低生活保障申请对象在${where}予以公示：`),
          `<table><thead><tr><th>申请人</th><th>家庭人口</th><th>申请项目</th><th>所在村（社区）</th></tr></thead><tbody><tr><td>${escapeHtml(doc.applicantName)}</td><td>${doc.members}人</td><td>${escapeHtml(PROGRAM_NAMES[doc.program])}</td><td>${escapeHtml(where)}</td></tr></tbody></table>`,
          paragraph(`公示期：${chineseDate(doc.postedOn)}至${chineseDate(doc.endsOn)}。`),
          paragraph(`公示期间，任何单位和个人对公示对象有异议的，可向${doc.townName || '乡镇人民政府'}或${bureau}如实反映。反映情况将予以保密。`),
          `<p class="small">公示编号：${escapeHtml(doc.noticeId)}</p>`,
        ].join('\n'),
      };
    case 'decision': {
      const pay =
        doc.payment.kind === 'monthly'
          ? `每月${yuanText(doc.payment.fen)}，自${chineseDate(doc.payment.from)}起按月发放`
          : `一次性${yuanText(doc.payment.fen)}，于${chineseDate(doc.payment.on)}发放`;
      return {
        title: DOCUMENT_TITLES.decision,
        dated: doc.decisionDate,
        content: [
          `<p class="to">${escapeHtml(doc.applicantName)}：</p>`,
          paragraph(
            `你（户）于${chineseDate(doc.appliedOn)}提出的${PROGRAM_NAMES[doc.program]}申请，经审核确认，符合救助条件。根据政策版本 ${doc.policyId}，决定给予${PROGRAM_NAMES[doc.program]}，${pay}。`,
          ),
          doc.category ? paragraph(`保障类别：${doc.category}。`) : '',
          doc.computation ? paragraph(`金额计算：${doc.computation}`) : '',
          doc.reasons.length ? `<p>审核认定：</p>${reasonList(doc.reasons)}` : '',
          written(doc.writtenReasons),
          doc.nextReviewDueOn ? paragraph(`将于${chineseDate(doc.nextReviewDueOn)}前进行动态复核；家庭人口、收入和财产状况发生变化的，请及时告知。`) : '',
          paragraph(APPEAL),
          `<p class="small">决定编号：${escapeHtml(doc.decisionId)}</p>`,
        ].join('\n'),
      };
    }
    case 'refusal':
      return {
        title: DOCUMENT_TITLES.refusal,
        dated: doc.decisionDate,
        content: [
          `<p class="to">${escapeHtml(doc.applicantName)}：</p>`,
          paragraph(
            `你（户）于${chineseDate(doc.appliedOn)}提出的${PROGRAM_NAMES[doc.program]}申请，经审核，不符合救助条件（政策版本 ${doc.policyId}），决定不予救助。理由如下：`,
          ),
          reasonList(doc.reasons) || paragraph('（理由见下）'),
          written(doc.writtenReasons),
          paragraph(APPEAL),
          `<p class="small">决定编号：${escapeHtml(doc.decisionId)}</p>`,
        ].join('\n'),
      };
  }
}

/**
 * A print-ready page (A4 portrait, Chinese serif fonts, no scripts or external assets): the
 * bureau's name at the head and on the signature line, dates as 2023年6月8日, money in yuan.
 */
export function renderCaseDocument(doc: CaseDocument, bureauName: string): string {
  const { title, content, dated } = body(doc, bureauName);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
@page { size: A4 portrait; margin: 25mm 22mm 22mm 25mm; }
body { font-family: "FangSong", "STFangsong", "SimSun", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", serif; font-size: 14pt; line-height: 1.75; color: #000; margin: 0; }
header { text-align: center; margin-bottom: 8mm; }
header .bureau { font-size: 16pt; letter-spacing: 0.1em; }
h1 { font-size: 20pt; margin: 2mm 0 0; letter-spacing: 0.2em; }
p { margin: 0 0 2mm; text-indent: 2em; } p.to, p.small { text-indent: 0; } p.small { font-size: 10pt; color: #333; }
ol.reasons { margin: 0 0 2mm 2em; padding-left: 1.5em; }
table { width: 100%; border-collapse: collapse; margin: 3mm 0 4mm; font-size: 12pt; }
th, td { border: 0.5pt solid #000; padding: 1.5mm 2mm; text-align: center; }
.sign { margin-top: 16mm; text-align: right; } .sign p { text-indent: 0; margin: 0; }
.seal { color: #666; font-size: 10pt; }
@media screen { body { max-width: 170mm; margin: 10mm auto; } }
</style>
</head>
<body>
<header><div class="bureau">${escapeHtml(bureauName)}</div><h1>${escapeHtml(title)}</h1></header>
${content}
<div class="sign"><p>${escapeHtml(bureauName)}</p><p class="seal">（盖章）</p><p>${chineseDate(dated)}</p></div>
</body>
</html>
`;
}
