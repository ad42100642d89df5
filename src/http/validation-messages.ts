import { z } from 'zod';
import { termsOf } from '../domain/shared/vocabularies';
import type { Language } from './messages';
import { renderFieldMessage } from '../domain/shared/field-messages';

/** What a validation error carries of its zod issue (fastify-type-provider-zod). */
export interface ValidationEntry {
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

type Issue = Parameters<ReturnType<typeof z.locales.en>['localeError']>[0];

const LOCALES = { zh: z.locales.zhCN(), en: z.locales.en() };

function localeMessage(language: Language, issue: Issue): string | undefined {
  const out = LOCALES[language].localeError(issue);
  return typeof out === 'string' ? out : out?.message;
}

/**
 * The message of one invalid field in the language asked for. A refused enum value lists the
 * codes with their labels (`relation: "户主"` → send `head`（户主）); zod's own English messages
 * are replaced by its zh-CN locale; a schema's own message (already written for people) is kept,
 * rendered in the language when it is a key of the field-message catalogue.
 */
export function validationMessage(entry: ValidationEntry, language: Language): string {
  // eslint-disable-next-line no-restricted-syntax -- adapter boundary: fastify-type-provider-zod hands zod's issue back as an AJV-shaped entry (keyword + params); zod's locale wants the issue
  const issue = { ...(entry.params ?? {}), code: entry.keyword, path: [], input: undefined } as unknown as Issue;
  const values = entry.params?.values;
  if (entry.keyword === 'invalid_value' && Array.isArray(values) && values.every((v) => typeof v === 'string')) {
    const terms = termsOf(values);
    const label = (code: string, i: number) => {
      if (!terms) return code;
      return language === 'zh' ? `${code}（${terms[i]!.zh}）` : `${code} (${terms[i]!.en})`;
    };
    const listed = values.map(label).join(language === 'zh' ? '、' : ', ');
    return language === 'zh'
      ? `无效的代码：请发送以下代码之一（括号内为含义）：${listed}`
      : `Invalid code: send one of these codes (meaning in brackets): ${listed}`;
  }
  const english = localeMessage('en', issue);
  if (entry.message && english !== entry.message) return renderFieldMessage(entry.message, language);
  return localeMessage(language, issue) ?? entry.message ?? (language === 'zh' ? '无效' : 'invalid');
}
