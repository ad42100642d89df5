import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../application/event-store';
import { UnreadableFileError } from '../application/imports/spreadsheet-input';
import { DocumentNotApplicableError, DocumentNotAvailableError } from '../application/assistance/documents/case-documents';
import { BadRequestError, ForbiddenError, NotFoundError, PreconditionFailedError, UnauthenticatedError } from '../application/errors';
import { DomainRuleViolation, IllegalStateError } from '../domain/shared/errors';
import { TooManyRequestsError } from './edge-errors';
import { problem, sendProblem, withoutReservedMembers, type Problem } from './problem';
import { maskProblemDetails } from '../application/privacy/problem-masking';
import { sendIfDatabaseUnavailable } from './database-unavailable';

export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('this Idempotency-Key was already used with a different request body');
  }
}

function toProblem(error: unknown): Problem | null {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return problem('validation', 400, 'The request is not valid', {
      detail: 'one or more fields are invalid',
      errors: error.validation.map((v) => ({
        path: [error.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      })),
    });
  }
  if (error instanceof UnreadableFileError)
    return problem('unreadable-file', 400, '无法读取上传的文件', { detail: error.message, errors: [{ path: 'body', message: error.message }] });
  if (error instanceof DocumentNotAvailableError)
    return problem('document-not-available', 409, '该案件尚无此文书', { detail: error.message, kind: error.kind });
  if (error instanceof DocumentNotApplicableError) return problem('not-found', 404, '该案件没有此类文书', { detail: error.message, kind: error.kind });
  if (error instanceof BadRequestError) {
    return problem('validation', 400, 'The request is not valid', {
      detail: error.message,
      ...(error.field ? { errors: [{ path: error.field, message: error.message }] } : {}),
    });
  }
  if (error instanceof UnauthenticatedError) return problem('unauthenticated', 401, 'Authentication required', { detail: error.message });
  if (error instanceof ForbiddenError) return problem('forbidden', 403, 'Forbidden', { detail: error.message });
  if (error instanceof NotFoundError) return problem('not-found', 404, 'Not found', { detail: error.message });
  if (error instanceof WrongExpectedVersionError) {
    return problem('version-conflict', 409, 'The resource was changed by someone else', {
      detail: 'reload it and try again',
      currentVersion: error.actual,
    });
  }
  if (error instanceof PreconditionFailedError) {
    return problem('precondition-failed', 412, 'If-Match does not match the current version', {
      detail: error.message,
      currentVersion: error.actual,
    });
  }
  if (error instanceof IllegalStateError) {
    return problem(`rule/${error.rule}`, 422, 'The command is not allowed in this state', {
      detail: error.message,
      rule: error.rule,
      state: error.state,
      allowed: error.allowed,
    });
  }
  if (error instanceof DomainRuleViolation) {
    return problem(`rule/${error.rule}`, 422, 'A business rule was broken', {
      ...withoutReservedMembers(error.details),
      detail: error.message,
      rule: error.rule,
    });
  }
  if (error instanceof IdempotencyKeyReusedError || error instanceof DuplicateEventIdError) {
    return problem('idempotency-key-reused', 422, 'Idempotency-Key reused with a different request', { detail: error.message });
  }
  if (error instanceof TooManyRequestsError) {
    return problem(error.kind, 429, error.kind === 'busy' ? '服务繁忙' : '请求过多', { detail: error.message, retryAfter: error.retryAfterSeconds });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code?.startsWith('FST_JWT_')) return problem('unauthenticated', 401, 'Authentication required', { detail: fastifyError.message });
  if (fastifyError.statusCode === 413) return problem('payload-too-large', 413, 'The request body is too large', { detail: fastifyError.message });
  if (fastifyError.statusCode === 415) return problem('unsupported-media-type', 415, 'Unsupported media type', { detail: fastifyError.message });
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 && !isResponseSerializationError(error)) {
    return problem('bad-request', fastifyError.statusCode, 'The request could not be processed', { detail: fastifyError.message });
  }
  return null;
}

/** One place maps every error to a problem; 5xx details stay in the log, never in the response. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = toProblem(error);
    if (mapped) {
      if (mapped.status === 401) reply.header('WWW-Authenticate', 'Bearer');
      if (error instanceof TooManyRequestsError) reply.header('Retry-After', String(error.retryAfterSeconds));
      request.log.info({ problem: mapped.type, status: mapped.status }, 'request refused');
      return sendProblem(request, reply, maskProblemDetails(mapped));
    }
    const unavailable = sendIfDatabaseUnavailable(error, request, reply);
    if (unavailable) return unavailable;
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, problem('internal', 500, 'Internal server error', { detail: 'the error was logged; quote the requestId' }));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, problem('not-found', 404, 'Not found', { detail: `no route ${request.method} ${request.url.split('?')[0]}` })),
  );
}
