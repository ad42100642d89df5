import Negotiator from 'negotiator';
import type { FastifyRequest } from 'fastify';
import { isRuleId, RULE_MESSAGES, type Bilingual, type RuleId } from '../domain/shared/rule-messages';

/**
 * The message catalogue of the HTTP edge: the title of every problem type, in Chinese (the
 * default) and English (on request, Accept-Language: en). Rule problems (/problems/rule/<id>)
 * take their title from the domain's RULE_MESSAGES. `problem()` accepts only slugs listed here.
 */
export const PROBLEM_TYPES = {
  validation: { zh: '请求内容不符合要求', en: 'The request is not valid' },
  'bad-request': { zh: '请求无法处理', en: 'The request could not be processed' },
  unauthenticated: { zh: '需要登录（有效的 Bearer 令牌）', en: 'Authentication required' },
  forbidden: { zh: '无权进行此操作', en: 'Forbidden' },
  'unknown-worker': { zh: '令牌的 sub 不是任何已登记社工的 ID', en: "The token's sub is not the id of any registered worker" },
  'not-found': { zh: '未找到', en: 'Not found' },
  'version-conflict': { zh: '该资源已被他人修改', en: 'The resource was changed by someone else' },
  'precondition-failed': { zh: 'If-Match 与当前版本不符', en: 'If-Match does not match the current version' },
  'idempotency-key-reused': { zh: '同一 Idempotency-Key 已用于不同的请求', en: 'Idempotency-Key reused with a different request' },
  'rate-limited': { zh: '请求过多', en: 'Too many requests' },
  busy: { zh: '服务繁忙', en: 'The service is busy' },
  'payload-too-large': { zh: '请求体过大', en: 'The request body is too large' },
  'unsupported-media-type': { zh: '不支持的内容类型', en: 'Unsupported media type' },
  'database-unavailable': { zh: '数据库暂时不可用', en: 'The database is unavailable for now' },
  'backup-unsupported': {
    zh: '此接口只备份内置存储（PGlite）；PostgreSQL 请用 pg_dump 备份',
    en: 'Only the embedded store (PGlite) is backed up here; back PostgreSQL up with pg_dump',
  },
  'backup-in-progress': { zh: '已有一个备份正在进行，请稍后再试', en: 'A backup is already being taken; try again later' },
  'demo-not-loaded': { zh: '演示县尚未载入', en: 'The demo county is not loaded yet' },
  'demo-tokens-unavailable': { zh: '本服务不签发令牌', en: 'This service does not issue tokens' },
  'unreadable-file': {
    zh: '无法读取上传的文件（应为 UTF-8、UTF-16、GBK/GB18030 编码的 CSV 或 xlsx）',
    en: 'The uploaded file cannot be read (CSV in UTF-8, UTF-16 or GBK/GB18030, or xlsx)',
  },
  'document-not-available': { zh: '该案件尚无此文书', en: 'The case has no such document yet' },
  internal: { zh: '服务内部错误', en: 'Internal server error' },
} as const satisfies Record<string, Bilingual>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES | `rule/${RuleId}`;

/** Generic details, for problems whose detail is the same every time. */
export const PROBLEM_DETAILS = {
  invalidFields: { zh: '一个或多个字段无效，见 errors', en: 'one or more fields are invalid' },
  internal: { zh: '错误已记入日志；请提供 requestId', en: 'the error was logged; quote the requestId' },
  reload: { zh: '请重新读取后再试', en: 'reload it and try again' },
  unauthenticated: { zh: '缺少有效的 Bearer 令牌，或令牌已过期、签名不符', en: 'a valid bearer token is required' },
  forbidden: { zh: '你的角色或辖区不允许此操作', en: 'your role or jurisdiction does not allow this' },
  unknownWorker: {
    zh: '令牌的 sub 不是任何已登记社工的 ID；社工令牌的 sub 须为该社工的 workerId',
    en: "the token's sub is not the id of a registered worker; a worker token's sub must be the workerId",
  },
  badRequest: { zh: '请求无法处理，请检查参数', en: 'the request cannot be processed; check its parameters' },
  payloadTooLarge: { zh: '请求体超过此接口的上限', en: 'the request body is larger than this route accepts' },
  unsupportedMediaType: { zh: '此接口不接受该 Content-Type', en: 'this route does not accept that Content-Type' },
} as const satisfies Record<string, Bilingual>;

/** Details of the service's own routes (backup, demo), by situation. */
export const SERVICE_DETAILS = {
  backupOnPostgres: {
    zh: '本部署使用 PostgreSQL：请用 pg_dump 备份（见 README 的 Backup and restore 一节）',
    en: 'this deployment runs on PostgreSQL: back it up with pg_dump (see README, Backup and restore)',
  },
  backupRunning: { zh: '已有一个备份正在进行', en: 'a backup is already being taken' },
  demoModeOnly: { zh: '演示用户只在演示模式（DEMO=1）下提供', en: 'demo users exist in demo mode (DEMO=1) only' },
  demoLoading: { zh: '演示县数据正在载入，见 /ready 的进度', en: 'the demo county is loading; see /ready for its progress' },
  demoFailed: { zh: '演示县数据载入失败，见 /ready 与服务日志', en: 'the demo county failed to load; see /ready and the service log' },
  demoNeedsSecret: {
    zh: '服务配置了 JWT_PUBLIC_KEY、JWKS_URL 或 OIDC_ISSUER，演示用户需要 JWT_SECRET（或不配置任何密钥）',
    en: 'the service is configured with JWT_PUBLIC_KEY, JWKS_URL or OIDC_ISSUER; demo users need JWT_SECRET (or no key at all)',
  },
} as const satisfies Record<string, Bilingual>;

const CJK = /[\u3400-\u9fff]/;
/** Three or more English words in a row: a sentence, not a code, id or unit. */
const ENGLISH_SENTENCE = /[A-Za-z]{2,}[,:;]?\s+[A-Za-z]{2,}[,:;]?\s+[A-Za-z]{2,}/;

/** Whether a text reads as the language: Chinese without an English sentence, or English without Chinese. */
export function readsAs(text: string, language: Language): boolean {
  return language === 'zh' ? CJK.test(text) && !ENGLISH_SENTENCE.test(text) : !CJK.test(text);
}

/**
 * A problem's detail in the language asked for: the error's own message (it carries the
 * specifics) when it is written in that language, otherwise the catalogue's text for its type or
 * rule; the specifics stay on the problem as members (rule details, currentVersion, errors).
 */
export function localizedDetail(message: string, language: Language, fallback: Bilingual): string {
  return readsAs(message, language) ? message : fallback[language];
}

export type Language = 'zh' | 'en';
const OFFERED = ['zh-CN', 'en'];

/** The language of the answer: what Accept-Language prefers of zh-CN and en; zh-CN when neither. */
export function languageOf(request: Pick<FastifyRequest, 'headers'>): Language {
  const best = new Negotiator({ headers: { 'accept-language': request.headers['accept-language'] } }).language(OFFERED);
  return best === 'en' ? 'en' : 'zh';
}

/** The title of a problem type (`/problems/<slug>`) in the language; undefined for unknown types. */
export function problemTitle(slug: string, language: Language): string | undefined {
  if (slug.startsWith('rule/')) {
    const rule = slug.slice('rule/'.length);
    return isRuleId(rule) ? RULE_MESSAGES[rule][language] : undefined;
  }
  return Object.hasOwn(PROBLEM_TYPES, slug) ? PROBLEM_TYPES[slug as keyof typeof PROBLEM_TYPES][language] : undefined;
}

/** Names of the resources a NotFoundError names, for the Chinese detail. */
const RESOURCE_NAMES: Record<string, string> = {
  town: '乡镇',
  village: '村',
  'villager group': '村民小组',
  household: '家庭',
  worker: '社工',
  'worker employed in the period': '该期间在职的社工',
  station: '社工站',
  case: '案件',
  decision: '救助决定',
  project: '项目',
  volunteer: '志愿者',
  'volunteer team': '志愿服务队',
  donation: '捐赠',
  'data import': '数据导入',
  finding: '发现记录',
  task: '任务',
  official: '审批人员',
  'training session': '培训',
  'mentoring pair': '结对',
  'worker score': '社工得分',
  'sealed event': '已封存的事件',
  'signed tree head': '已签名的树头',
  projection: '投影',
  vocabulary: '代码表',
};

export function notFoundDetail(resource: string, id: string, language: Language): string {
  return language === 'en' ? `${resource} ${id} was not found` : `未找到${RESOURCE_NAMES[resource] ?? resource}（${id}）`;
}
