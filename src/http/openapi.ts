import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { sample } from 'openapi-sampler';
import { ROLES } from '../application/actor';
import { termsOf, vocabularyNamed } from '../domain/shared/vocabularies';
import { fieldDescription, parameterDescription } from './field-descriptions';
import { rolesAllowedOn } from './route-roles';

/**
 * Finishing the OpenAPI document so a typed client can be generated from it and every field read
 * in Chinese: what the zod schemas say (types, `.describe()`, `.meta()`) plus what holds for every
 * operation alike — operationId, security, the problem+json errors, the headers, enum labels.
 */

type JsonObject = { [key: string]: unknown };
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export const API_TAGS: readonly { name: string; description: string }[] = [
  { name: 'ops', description: '运维：健康检查、就绪、指标、投影、备份 / operations: health, readiness, metrics, projections, backup' },
  { name: 'reference', description: '代码表（词汇）：各枚举代码的中英文名称 / vocabularies: labels of every code' },
  { name: 'geography', description: '行政区划：乡镇、村、村民小组 / towns, villages, villager groups' },
  { name: 'workforce', description: '社工队伍：登记、岗位、培训、结对 / social workers' },
  { name: 'stations', description: '社工站 / social-work stations' },
  { name: 'coverage', description: '服务覆盖 / coverage' },
  { name: 'households', description: '家庭与成员、分组 / households, members, groups' },
  { name: 'visits', description: '走访 / visits' },
  { name: 'community: volunteers', description: '志愿者 / volunteers' },
  { name: 'community: teams', description: '志愿服务队 / volunteer teams' },
  { name: 'community: service records', description: '志愿服务记录 / service records' },
  { name: 'community: projects', description: '项目 / projects' },
  { name: 'community: donations', description: '捐赠 / donations' },
  { name: 'community', description: '社区汇总 / community summary' },
  { name: 'performance', description: '绩效考核 / performance assessment' },
  { name: 'detection', description: '主动发现：数据比对、发现、任务 / proactive detection' },
  { name: 'assistance', description: '社会救助案件 / social-assistance cases' },
  { name: 'audit', description: '审计 / audit' },
  { name: 'ledger', description: '防篡改账本 / tamper-evident ledger' },
  { name: 'reports', description: '统计报表 / reports' },
  { name: 'auth', description: '登录：可用的登录方式、令牌对应的身份 / sign-in options and who a token signs in as' },
  { name: 'demo', description: '演示模式 / demo mode' },
];
/** Tags that name the same area twice: merged into the first. */
const TAG_ALIASES: Record<string, string> = { operations: 'ops' };

const RESPONSE_DESCRIPTIONS: Record<string, string> = {
  '200': '成功 / OK',
  '201': '已创建，Location 为新资源的地址 / Created; Location names the new resource',
  '202': '已受理，稍后完成 / Accepted',
  '204': '成功，无内容 / No content',
  '400': '请求不符合要求，errors 列出各字段的问题 / The request is not valid; errors lists the fields',
  '401': '缺少或无效的 Bearer 令牌 / A valid bearer token is required',
  '403': '角色无权操作、不在辖区内，或令牌的 sub 不是已登记的社工 / Forbidden: role, jurisdiction, or a token sub naming no worker',
  '404': '未找到 / Not found',
  '409': '与当前状态冲突（如版本已变），见 currentVersion / Conflict with the current state',
  '412': 'If-Match 与当前版本不符，见 currentVersion / If-Match does not match the current version',
  '413': '请求体过大 / The request body is too large',
  '415': '不支持的内容类型 / Unsupported media type',
  '422': '违反业务规则，rule 为规则 ID / A business rule was broken; rule names it',
  '429': '请求过多或服务繁忙，Retry-After 秒后重试 / Too many requests; retry after Retry-After seconds',
  '500': '服务内部错误，请提供 requestId / Internal error; quote the requestId',
  '503': '暂时不可用，Retry-After 秒后重试 / Unavailable for now; retry after Retry-After seconds',
};

const HEADERS: Record<string, JsonObject> = {
  Location: { description: '新资源的地址 / URL of the created resource', schema: { type: 'string' } },
  ETag: { description: '资源版本，如 "3"；修改时放入 If-Match / version of the resource, send it back as If-Match', schema: { type: 'string' } },
  'Retry-After': { description: '多少秒后可以重试 / seconds to wait before retrying', schema: { type: 'integer' } },
  'X-Request-Id': { description: '请求 ID，反馈问题时请提供 / request id; quote it when reporting', schema: { type: 'string' } },
  'Content-Language': { description: '问题详情的语言（zh-CN 或 en）/ language of the problem details', schema: { type: 'string' } },
  'Preference-Applied': {
    description: 'return=minimal：已按 Prefer 请求只答复 ETag / return=minimal: the Prefer asked for was applied',
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: '为 true 时表示这是用相同 Idempotency-Key 重放的已存答复 / true when the stored answer was replayed',
    schema: { type: 'string' },
  },
};

const PARAMETER_DESCRIPTIONS: Record<string, string> = {
  'if-match': '资源的 ETag（如 "3"），版本不符时答复 412 / the ETag you read; 412 when the resource has changed',
  prefer: 'return=minimal：不需要返回资源，答复 204 与新的 ETag（RFC 7240）/ return=minimal: answer 204 with the new ETag instead of the resource',
  'idempotency-key':
    '幂等键（1–255 个可见 ASCII 字符）：同一键与同一请求体重试时重放已存答复，不会重复记录 / retries with the same key and body replay the stored answer',
  'accept-language': '答复语言：zh-CN（默认）或 en / language of messages: zh-CN (default) or en',
};

const ROLE_LABELS = new Map((vocabularyNamed('role')?.terms ?? []).map((t) => [t.code, t.zh]));

/** `POST /api/v1/towns/:id/retire` → `postTownsByIdRetire`: stable, unique per method and path. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v\d+\//, '/')
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') || segment.startsWith('{') ? `by-${segment.replace(/[:{}]/g, '')}` : segment))
    .flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

/** Per route: the zod transform, then operationId, security and a description naming the roles. */
export const transformRoute: SwaggerTransform<FastifySchema> = (input) => {
  const out = jsonSchemaTransform(input);
  const route = input.route;
  const method = (Array.isArray(route.method) ? route.method[0]! : route.method).toUpperCase();
  const isPublic = route.config?.public === true;
  const schema = (out.schema ?? {}) as JsonObject;
  const summary = typeof schema.summary === 'string' ? schema.summary : `${method} ${route.url}`;
  const roles = rolesAllowedOn(method, route.url, ROLES);
  const who = isPublic
    ? '公开接口，无需令牌 / public, no token needed'
    : `可调用的角色 / roles: ${roles ? roles.map((r) => `${r}（${ROLE_LABELS.get(r) ?? r}）`).join('、') : '所有角色，服务按辖区决定可见范围 / every role; the jurisdiction decides what is visible'}`;
  const notes = [
    method === 'POST' && !isPublic ? '可带 Idempotency-Key 安全重试 / safe to retry with an Idempotency-Key' : '',
    '错误为 application/problem+json，按 Accept-Language 用中文（默认）或英文 / errors are problem+json in zh-CN or en',
  ].filter(Boolean);
  return {
    ...out,
    schema: {
      ...schema,
      operationId: typeof schema.operationId === 'string' ? schema.operationId : operationIdOf(method, route.url),
      summary,
      description: typeof schema.description === 'string' ? schema.description : [summary, who, ...notes].join('\n\n'),
      security: isPublic ? [] : [{ bearer: [] }],
    },
  };
};

/** The whole document: tags, errors, headers, examples and enum labels. */
export const transformDocument: SwaggerTransformObject = (input) => {
  // eslint-disable-next-line no-restricted-syntax -- adapter boundary: @fastify/swagger's document type is a union of OpenAPI 2/3 shapes; it is walked as plain JSON
  const doc = jsonSchemaTransformObject(input) as unknown as JsonObject;
  finishDocument(doc);
  return doc;
};

const METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head', 'options']);

export function finishDocument(doc: JsonObject): void {
  const components = (doc.components ??= {}) as JsonObject;
  components.headers = { ...(components.headers ?? {}), ...HEADERS };
  doc.tags = API_TAGS;
  for (const [path, item] of Object.entries((doc.paths ?? {}) as JsonObject)) {
    if (!isObject(item)) continue;
    const scope = scopeOf(path);
    for (const [method, operation] of Object.entries(item)) {
      if (METHODS.has(method) && isObject(operation)) {
        finishOperation(doc, method, operation, scope);
        describeProperties(operation, scope, '');
      }
    }
  }
  for (const [name, schema] of Object.entries(((doc.components as JsonObject).schemas ?? {}) as JsonObject)) {
    describeProperties(schema, name.replace(/Input$/, ''), '');
  }
  labelEnums(doc);
}

/** `/api/v1/workers/{id}/caseload` → `workers`; `/ready` → `ready`: where a field's name is read. */
function scopeOf(path: string): string {
  return (
    path
      .replace(/^\/api\/v\d+\//, '/')
      .split('/')
      .find(Boolean) ?? ''
  );
}

/** Every property the zod schema left undescribed gets its text from the field catalogue. */
function describeProperties(node: unknown, scope: string, parent: string): void {
  if (Array.isArray(node)) {
    node.forEach((n) => describeProperties(n, scope, parent));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples') continue;
    if (key === 'properties' && isObject(value)) {
      for (const [name, property] of Object.entries(value)) {
        if (isObject(property) && !property.description && !property.$ref) {
          const text = fieldDescription(scope, parent, name);
          if (text) property.description = text;
        }
        describeProperties(property, scope, name);
      }
    } else describeProperties(value, scope, parent);
  }
}

function finishOperation(doc: JsonObject, method: string, op: JsonObject, scope: string): void {
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  if (Array.isArray(op.tags)) {
    // One tag per operation, so a generated client groups it once: the most specific area.
    const tags = [...new Set((op.tags as unknown[]).map((t) => (typeof t === 'string' ? (TAG_ALIASES[t] ?? t) : t)))];
    op.tags = tags.length > 1 ? tags.filter((t) => t !== 'audit').slice(0, 1) : tags;
  }

  const parameters = (Array.isArray(op.parameters) ? op.parameters : []) as JsonObject[];
  const names = new Set(parameters.filter((p) => p.in === 'header').map((p) => String(p.name).toLowerCase()));
  if (method === 'post' && !isPublic && !names.has('idempotency-key')) {
    parameters.push({ in: 'header', name: 'Idempotency-Key', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } });
  }
  if (!names.has('accept-language')) parameters.push({ in: 'header', name: 'Accept-Language', required: false, schema: { type: 'string' } });
  for (const parameter of parameters) {
    const known = PARAMETER_DESCRIPTIONS[String(parameter.name).toLowerCase()];
    const schema = isObject(parameter.schema) ? parameter.schema : undefined;
    if (!parameter.description) parameter.description = known ?? schema?.description ?? parameterDescription(scope, String(parameter.name), schema);
  }
  op.parameters = parameters;

  const body = isObject(op.requestBody) ? op.requestBody : undefined;
  if (body && isObject(body.content)) {
    for (const [type, media] of Object.entries(body.content)) {
      if (!isObject(media)) continue;
      if (type.includes('csv')) {
        media.schema = { type: 'string', description: 'CSV：UTF-8（可带 BOM），首行为列名 / CSV, UTF-8 (BOM allowed), header row first' };
        media.example ??= 'kind,code,name,parent_code,village_kind\n';
      } else if (type === 'application/json' && media.example === undefined && media.examples === undefined && isObject(media.schema)) {
        media.example = sample(media.schema, { skipReadOnly: true, quiet: true }, doc);
      }
    }
  }

  const responses = isObject(op.responses) ? op.responses : {};
  const problem = { $ref: '#/components/schemas/Problem' };
  const standard = ['429', '500', ...(isPublic ? [] : ['401', '403']), ...(body || op.parameters ? ['400'] : []), ...(body ? ['413', '415'] : [])];
  for (const status of standard) responses[status] ??= { description: '', content: { 'application/json': { schema: problem } } };
  for (const [status, response] of Object.entries(responses)) {
    if (!isObject(response)) continue;
    response.description = RESPONSE_DESCRIPTIONS[status] ?? (response.description === 'Default Response' ? `HTTP ${status}` : response.description);
    const content = isObject(response.content) ? response.content : undefined;
    const headers: JsonObject = { ...((response.headers as JsonObject | undefined) ?? {}), 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
    if (Number(status) >= 400) {
      const json = content?.['application/json'];
      if (content && isObject(json) && isObject(json.schema) && json.schema.$ref === problem.$ref) {
        delete content['application/json'];
        content['application/problem+json'] = { schema: problem };
      }
      headers['Content-Language'] = { $ref: '#/components/headers/Content-Language' };
    }
    if (status === '201') headers.Location = { $ref: '#/components/headers/Location' };
    if ((status === '200' || status === '201') && hasVersion(doc, content)) headers.ETag = { $ref: '#/components/headers/ETag' };
    if (status === '204') {
      // No content (a step answered to `Prefer: return=minimal`): the new version is in its ETag.
      delete response.content;
      headers.ETag = { $ref: '#/components/headers/ETag' };
      headers['Preference-Applied'] = { $ref: '#/components/headers/Preference-Applied' };
    }
    if (status === '429' || status === '503') headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
    if (method === 'post' && status.startsWith('2') && !isPublic) headers['Idempotent-Replayed'] = { $ref: '#/components/headers/Idempotent-Replayed' };
    response.headers = headers;
  }
  op.responses = responses;
}

/** A versioned resource (its body has `version`) is answered with its ETag. */
function hasVersion(doc: JsonObject, content: JsonObject | undefined): boolean {
  const media = content?.['application/json'];
  if (!isObject(media)) return false;
  const schema = resolve(doc, media.schema);
  return isObject(schema) && isObject(schema.properties) && 'version' in schema.properties;
}

function resolve(doc: JsonObject, schema: unknown): unknown {
  if (!isObject(schema) || typeof schema.$ref !== 'string') return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return ((doc.components as JsonObject).schemas as JsonObject | undefined)?.[name];
}

/** Every enum of codes carries its labels: x-enum-descriptions and a line in its description. */
function labelEnums(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(labelEnums);
    return;
  }
  if (!isObject(node)) return;
  const codes = node.enum;
  if (Array.isArray(codes) && codes.length > 1 && codes.every((c) => typeof c === 'string')) {
    const terms = termsOf(codes);
    if (terms) {
      node['x-enum-descriptions'] = terms.map((t) => `${t.zh}${t.official && t.official !== t.zh ? `（${t.official}）` : ''} / ${t.en}`);
      const listed = terms.map((t) => `${t.code}=${t.zh}`).join('，');
      const own = typeof node.description === 'string' ? `${node.description}\n\n` : '';
      node.description = `${own}代码 / codes: ${listed}`;
    }
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'x-enum-descriptions' && key !== 'example') labelEnums(value);
}
