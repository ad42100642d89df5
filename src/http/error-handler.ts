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
import { languageOf, notFoundDetail, PROBLEM_DETAILS, type Language } from './messages';
import { validationMessage } from './validation-messages';

export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('this Idempotency-Key was already used with a different request body');
  }
}

function toProblem(error: unknown, language: Language): Problem | null {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return problem('validation', 400, {
      detail: PROBLEM_DETAILS.invalidFields[language],
      errors: error.validation.map((v) => ({
        path: [error.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: validationMessage(v, language),
      })),
    });
  }
  if (error instanceof UnreadableFileError)
    return problem('unreadable-file', 400, { detail: error.message, errors: [{ path: 'body', message: error.message }] });
  if (error instanceof DocumentNotAvailableError) return problem('document-not-available', 409, { detail: error.message, kind: error.kind });
  if (error instanceof DocumentNotApplicableError) return problem('not-found', 404, { detail: error.message, kind: error.kind });
  if (error instanceof BadRequestError) {
    return problem('validation', 400, {
      detail: error.message,
      ...(error.field ? { errors: [{ path: error.field, message: error.message }] } : {}),
    });
  }
  if (error instanceof UnknownWorkerError) return problem('unknown-worker', 403, { detail: error.message });
  if (error instanceof UnauthenticatedError) return problem('unauthenticated', 401, { detail: error.message });
  if (error instanceof ForbiddenError) return problem('forbidden', 403, { detail: error.message });
  if (error instanceof NotFoundError) return problem('not-found', 404, { detail: notFoundDetail(error.resource, error.id, language) });
  if (error instanceof WrongExpectedVersionError) {
    return problem('version-conflict', 409, { detail: PROBLEM_DETAILS.reload[language], currentVersion: error.actual });
  }
  if (error instanceof PreconditionFailedError) {
    return problem('precondition-failed', 412, {
      detail: language === 'zh' ? `资源当前为第 ${error.actual} 版，不是第 ${error.expected} 版` : error.message,
      currentVersion: error.actual,
    });
  }
  if (error instanceof IllegalStateError) {
    return problem(`rule/${error.rule}`, 422, {
      detail: error.message,
      rule: error.rule,
      state: error.state,
      allowed: error.allowed,
    });
  }
  if (error instanceof DomainRuleViolation) {
    return problem(`rule/${error.rule}`, 422, {
      ...withoutReservedMembers(error.details),
      detail: error.message,
      rule: error.rule,
    });
  }
  if (error instanceof IdempotencyKeyReusedError || error instanceof DuplicateEventIdError) {
    return problem('idempotency-key-reused', 422, { detail: error.message });
  }
  if (error instanceof TooManyRequestsError) {
    return problem(error.kind, 429, { detail: error.message, retryAfter: error.retryAfterSeconds });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code?.startsWith('FST_JWT_')) return problem('unauthenticated', 401, { detail: fastifyError.message });
  if (fastifyError.statusCode === 413) return problem('payload-too-large', 413, { detail: fastifyError.message });
  if (fastifyError.statusCode === 415) return problem('unsupported-media-type', 415, { detail: fastifyError.message });
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 && !isResponseSerializationError(error)) {
    return problem('bad-request', fastifyError.statusCode, { detail: fastifyError.message });
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
