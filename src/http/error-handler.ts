import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../application/event-store';
import { UnreadableFileError } from '../application/imports/spreadsheet-input';
import { DocumentNotApplicableError, DocumentNotAvailableError } from '../application/assistance/documents/case-documents';
import { BadRequestError, ForbiddenError, NotFoundError, PreconditionFailedError, UnauthenticatedError, UnknownWorkerError } from '../application/errors';
import { DomainRuleViolation, IllegalStateError } from '../domain/shared/errors';
import { TooManyRequestsError } from './edge-errors';
import { problem, sendProblem, withoutReservedMembers, type Problem } from './problem';
import { maskProblemDetails } from '../application/privacy/problem-masking';
import { sendIfDatabaseUnavailable } from './database-unavailable';
import { languageOf, localizedDetail, notFoundDetail, PROBLEM_DETAILS, PROBLEM_TYPES, type Language } from './messages';
import { RULE_MESSAGES, type Bilingual } from '../domain/shared/rule-messages';
import { validationMessage } from './validation-messages';

export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('this Idempotency-Key was already used with a different request body');
  }
}

/** A BadRequestError's detail when its message is not in the language: the field named. */
function badRequestDetail(field: string | undefined): Bilingual {
  return field ? { zh: `参数 ${field} 无效`, en: `${field} is not valid` } : PROBLEM_DETAILS.badRequest;
}

/** Every error the service raises as a problem, its detail in the language; null for a 5xx. */
export function toProblem(error: unknown, language: Language): Problem | null {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return problem('validation', 400, {
      detail: PROBLEM_DETAILS.invalidFields[language],
      errors: error.validation.map((v) => ({
        path: [error.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: validationMessage(v, language),
      })),
    });
  }
  if (error instanceof UnreadableFileError) {
    const detail = localizedDetail(error.message, language, PROBLEM_TYPES['unreadable-file']);
    return problem('unreadable-file', 400, { detail, errors: [{ path: 'body', message: detail }] });
  }
  if (error instanceof DocumentNotAvailableError)
    return problem('document-not-available', 409, {
      detail: localizedDetail(error.message, language, PROBLEM_TYPES['document-not-available']),
      kind: error.kind,
    });
  if (error instanceof DocumentNotApplicableError)
    return problem('not-found', 404, { detail: localizedDetail(error.message, language, PROBLEM_TYPES['not-found']), kind: error.kind });
  if (error instanceof BadRequestError) {
    const detail = localizedDetail(error.message, language, badRequestDetail(error.field));
    return problem('validation', 400, { detail, ...(error.field ? { errors: [{ path: error.field, message: detail }] } : {}) });
  }
  if (error instanceof UnknownWorkerError)
    return problem('unknown-worker', 403, { detail: localizedDetail(error.message, language, PROBLEM_DETAILS.unknownWorker) });
  if (error instanceof UnauthenticatedError)
    return problem('unauthenticated', 401, { detail: localizedDetail(error.message, language, PROBLEM_DETAILS.unauthenticated) });
  if (error instanceof ForbiddenError) return problem('forbidden', 403, { detail: localizedDetail(error.message, language, PROBLEM_DETAILS.forbidden) });
  if (error instanceof NotFoundError) return problem('not-found', 404, { detail: notFoundDetail(error.resource, error.id, language) });
  if (error instanceof WrongExpectedVersionError) {
    return problem('version-conflict', 409, { detail: PROBLEM_DETAILS.reload[language], currentVersion: error.actual });
  }
  if (error instanceof PreconditionFailedError) {
    return problem('precondition-failed', 412, {
      detail:
        language === 'zh'
          ? `资源当前为第 ${error.actual} 版，不是第 ${error.expected} 版`
          : `the resource is at version ${error.actual}, not ${error.expected}`,
      currentVersion: error.actual,
    });
  }
  if (error instanceof IllegalStateError) {
    return problem(`rule/${error.rule}`, 422, {
      detail: localizedDetail(error.message, language, RULE_MESSAGES[error.rule]),
      rule: error.rule,
      state: error.state,
      allowed: error.allowed,
    });
  }
  if (error instanceof DomainRuleViolation) {
    return problem(`rule/${error.rule}`, 422, {
      ...withoutReservedMembers(error.details),
      detail: localizedDetail(error.message, language, RULE_MESSAGES[error.rule]),
      rule: error.rule,
    });
  }
  if (error instanceof IdempotencyKeyReusedError || error instanceof DuplicateEventIdError) {
    return problem('idempotency-key-reused', 422, { detail: localizedDetail(error.message, language, PROBLEM_TYPES['idempotency-key-reused']) });
  }
  if (error instanceof TooManyRequestsError) {
    return problem(error.kind, 429, { detail: localizedDetail(error.message, language, PROBLEM_TYPES[error.kind]), retryAfter: error.retryAfterSeconds });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code?.startsWith('FST_JWT_'))
    return problem('unauthenticated', 401, { detail: localizedDetail(fastifyError.message, language, PROBLEM_DETAILS.unauthenticated) });
  if (fastifyError.statusCode === 413)
    return problem('payload-too-large', 413, { detail: localizedDetail(fastifyError.message, language, PROBLEM_DETAILS.payloadTooLarge) });
  if (fastifyError.statusCode === 415)
    return problem('unsupported-media-type', 415, { detail: localizedDetail(fastifyError.message, language, PROBLEM_DETAILS.unsupportedMediaType) });
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 && !isResponseSerializationError(error)) {
    return problem('bad-request', fastifyError.statusCode, { detail: localizedDetail(fastifyError.message, language, PROBLEM_DETAILS.badRequest) });
  }
  return null;
}

/** One place maps every error to a problem; 5xx details stay in the log, never in the response. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = toProblem(error, languageOf(request));
    if (mapped) {
      if (mapped.status === 401) reply.header('WWW-Authenticate', 'Bearer');
      if (error instanceof TooManyRequestsError) reply.header('Retry-After', String(error.retryAfterSeconds));
      request.log.info({ problem: mapped.type, status: mapped.status }, 'request refused');
      return sendProblem(request, reply, maskProblemDetails(mapped));
    }
    const unavailable = sendIfDatabaseUnavailable(error, request, reply);
    if (unavailable) return unavailable;
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, problem('internal', 500, { detail: PROBLEM_DETAILS.internal[languageOf(request)] }));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      problem('not-found', 404, {
        detail: `${languageOf(request) === 'zh' ? '没有此接口' : 'no route'} ${request.method} ${request.url.split('?')[0]}`,
      }),
    ),
  );
}
