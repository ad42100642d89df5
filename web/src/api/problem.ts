import type { components } from './schema';

export type ProblemBody = components['schemas']['Problem'];

/**
 * An API refusal as an Error: the server's problem+json (its Chinese or English title and detail,
 * the field errors, the rule) kept whole, so screens show what the server said.
 */
export class ApiProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: { path: string; message: string }[];
  readonly requestId: string | undefined;

  constructor(body: ProblemBody) {
    super(body.detail ? `${body.title}：${body.detail}` : body.title);
    this.name = 'ApiProblem';
    this.status = body.status;
    this.type = body.type;
    this.title = body.title;
    this.detail = body.detail;
    this.errors = body.errors ?? [];
    this.requestId = body.requestId;
  }

  /** 412 (If-Match stale) or 409 with a version: someone else changed the record first. */
  get isConflict(): boolean {
    return this.status === 412 || (this.status === 409 && /version|conflict/.test(this.type));
  }
}

const isProblemBody = (value: unknown): value is ProblemBody =>
  typeof value === 'object' && value !== null && typeof (value as ProblemBody).title === 'string' && typeof (value as ProblemBody).status === 'number';

/**
 * What a failed response becomes: its problem+json when it sent one, else a problem made up from
 * the status (a proxy's HTML page, a network failure), so every screen handles one shape.
 */
export function toApiProblem(error: unknown, response?: Response): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (isProblemBody(error)) return new ApiProblem(error);
  const status = response?.status ?? 0;
  return new ApiProblem({
    type: status === 0 ? 'about:network' : 'about:blank',
    status,
    title: status === 0 ? '无法连接服务' : `服务答复 ${status}`,
    detail: status === 0 ? '请检查网络后重试 / check the connection and retry' : (response?.statusText ?? ''),
  });
}

/** openapi-fetch's `{ data, error, response }` as data, or an ApiProblem thrown. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw toApiProblem(result.error, result.response);
  return result.data as T;
}
