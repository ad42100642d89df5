import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_MESSAGES } from '../../src/domain/shared/rule-messages';
import { languageOf, PROBLEM_DETAILS, PROBLEM_TYPES, problemTitle } from '../../src/http/messages';
import { validationMessage } from '../../src/http/validation-messages';

const CJK = /[\u4e00-\u9fff]/;
const LATIN = /[A-Za-z]{2}/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
const CATALOGUES = new Set(['src/domain/shared/rule-messages.ts', 'src/http/messages.ts']);
const code = sources('src')
  .filter((path) => !CATALOGUES.has(path))
  .map((path) => readFileSync(path, 'utf8'))
  .join('\n');

describe('the message catalogue', () => {
  it('has a Chinese and an English text for every problem type, rule and generic detail', () => {
    const all = { ...PROBLEM_TYPES, ...RULE_MESSAGES, ...PROBLEM_DETAILS };
    for (const [key, text] of Object.entries(all)) {
      expect(text.zh, key).toMatch(CJK);
      expect(text.en, key).toMatch(LATIN);
      expect(text.en, key).not.toBe(text.zh);
    }
  });

  it('knows every rule a decider or service raises (literal ids and the rule of a refusal)', () => {
    const raised = [...code.matchAll(/(?:DomainRuleViolation|IllegalStateError)\(\s*'([a-z_]+\.[a-z_]+)'|\brule: '([a-z_]+\.[a-z_]+)'/g)].map(
      (m) => m[1] ?? m[2]!,
    );
    expect(raised.length).toBeGreaterThan(150);
    expect(raised.filter((rule) => !Object.hasOwn(RULE_MESSAGES, rule))).toEqual([]);
  });

  it('has no orphan keys: every rule and problem type appears in the code that raises it', () => {
    const orphanRules = Object.keys(RULE_MESSAGES).filter((rule) => {
      if (code.includes(`'${rule}'`)) return false;
      // Built ids: `${kind}.version_immutable` with 'calendar' a kind; `volunteer.${…}` with 'withdrawn'.
      const [prefix, suffix] = rule.split('.') as [string, string];
      const built = code.includes(`}.${suffix}\``) && code.includes(`'${prefix}'`);
      const builtTail = code.includes(`\`${prefix}.\${`) && code.includes(`'${suffix}'`);
      return !built && !builtTail;
    });
    expect(orphanRules).toEqual([]);
    const orphanTypes = Object.keys(PROBLEM_TYPES).filter((slug) => !code.includes(`'${slug}'`));
    expect(orphanTypes).toEqual([]);
  });

  it('answers in zh-CN by default and in English when Accept-Language prefers it', () => {
    const lang = (header?: string) => languageOf({ headers: header === undefined ? {} : { 'accept-language': header } });
    expect(lang()).toBe('zh');
    expect(lang('fr-FR')).toBe('zh');
    expect(lang('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(lang('en-US,en;q=0.9')).toBe('en');
    expect(lang('en;q=0.5, zh;q=0.4')).toBe('en');
    expect(lang('fr, en;q=0.3')).toBe('en');
    expect(problemTitle('rule/town.retired', 'zh')).toBe('乡镇已撤销');
    expect(problemTitle('rule/town.retired', 'en')).toBe('The town is retired');
    expect(problemTitle('rule/no.such_rule', 'en')).toBeUndefined();
  });

  it('tells a front end which code to send for a refused enum value, with the Chinese labels', () => {
    const entry = { keyword: 'invalid_value', message: 'Invalid option', params: { values: ['head', 'spouse', 'child'] } };
    expect(validationMessage(entry, 'zh')).toBe('无效的代码：请发送以下代码之一（括号内为含义）：head（户主）、spouse（配偶）、child（子女）');
    expect(validationMessage(entry, 'en')).toBe(
      'Invalid code: send one of these codes (meaning in brackets): head (head of household), spouse (spouse), child (child)',
    );
  });

  it("translates zod's own messages but keeps a schema's own", () => {
    const tooShort = {
      keyword: 'too_small',
      message: 'Too small: expected string to have >=3 characters',
      params: { origin: 'string', minimum: 3, inclusive: true },
    };
    expect(validationMessage(tooShort, 'zh')).toMatch(CJK);
    expect(validationMessage(tooShort, 'en')).toBe(tooShort.message);
    const own = { keyword: 'custom', message: '身份证号须为 18 位', params: {} };
    expect(validationMessage(own, 'en')).toBe('身份证号须为 18 位');
  });
});
