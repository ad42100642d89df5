import type { Bilingual } from './rule-messages';

/**
 * What is wrong with one field, in Chinese and English, for the messages a schema writes itself
 * (a refined ID number, a phone, a cell of an imported file). A schema's message is the entry's
 * key (`fieldMessage('id_number.invalid')`), rendered in the language of whoever reads it: the
 * HTTP edge by Accept-Language, a stored rejection report when it is downloaded. Messages never
 * repeat the value, so a rejection report cannot leak an ID number.
 */
export const FIELD_MESSAGES = {
  'id_number.invalid': {
    zh: '身份证号须为 18 位公民身份号码，末位校验码符合 GB 11643',
    en: 'not a valid national ID number (18 characters, GB 11643 check digit)',
  },
  'phone.invalid': { zh: '电话号码须为 5–20 位数字（可含 +、- 和空格）', en: 'a phone number is 5–20 digits' },
  required: { zh: '必填', en: 'required' },
  'text.expected': { zh: '须为文字', en: 'must be text' },
  'text.too_long': { zh: '最多 {max} 个字', en: 'at most {max} characters' },
  'group_code.invalid': { zh: '村民小组代码为 1–32 个字母、数字、- 或 _', en: 'a villager-group code is 1–32 letters, digits, - or _' },
  'day.invalid': { zh: '须为 YYYY-MM-DD 格式的日期', en: 'must be a date in YYYY-MM-DD form' },
  'yuan.expected': { zh: '须为以元为单位的金额', en: 'must be an amount in yuan' },
  'yuan.invalid': { zh: '须为以元为单位的金额，最多两位小数，不能为负', en: 'must be an amount in yuan, at most two decimals, not negative' },
  'boolean.expected': { zh: '须为 true 或 false（1/0、yes/no、是/否）', en: 'must be true or false (1/0, yes/no, 是/否)' },
  'integer.expected': { zh: '须为整数', en: 'must be a whole number' },
  'code.one_of': { zh: '须为以下代码之一：{values}', en: 'must be one of {values}' },
  'row.cell_count': { zh: '此行有 {cells} 个单元格，表头有 {header} 个', en: 'the row has {cells} cells, the header {header}' },
  'row.nul_character': { zh: '此行含有 NUL 字符', en: 'the row contains a NUL character' },
  'row.not_json_object': { zh: '此行不是 JSON 对象', en: 'the line is not a JSON object' },
  'row.invalid_json': { zh: '此行不是有效的 JSON', en: 'the line is not valid JSON' },
  'row.dated_after_import': { zh: '日期晚于导入当日（{today}）', en: 'dated after the day of the import ({today})' },
} as const satisfies Record<string, Bilingual>;

export type FieldMessageKey = keyof typeof FIELD_MESSAGES;
type Params = Readonly<Record<string, string | number>>;

const PREFIX = 'field-message:';

/** The message a schema (or an import) records: the key and its parameters, rendered later. */
export function fieldMessage(key: FieldMessageKey, params: Params = {}): string {
  return `${PREFIX}${key}${Object.keys(params).length ? JSON.stringify(params) : ''}`;
}

/** A recorded message in the language: catalogue keys rendered, any other text as it is. */
export function renderFieldMessage(message: string, language: keyof Bilingual): string {
  if (!message.startsWith(PREFIX)) return message;
  const rest = message.slice(PREFIX.length);
  const brace = rest.indexOf('{');
  const key = brace < 0 ? rest : rest.slice(0, brace);
  if (!Object.hasOwn(FIELD_MESSAGES, key)) return message;
  const params = brace < 0 ? {} : parseParams(rest.slice(brace));
  return FIELD_MESSAGES[key as FieldMessageKey][language].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

function parseParams(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
