/** Errors the application raises; the HTTP layer maps each to one problem type and status. */
export class NotFoundError extends Error {
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found`);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'you may not do this') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/**
 * A worker's token whose `sub` is not the id of any registered worker: the service cannot tell
 * what the caller may see, so it refuses (403) instead of answering with empty lists.
 */
export class UnknownWorkerError extends Error {
  constructor(message = '令牌的 sub 不是任何已登记社工的 ID；社工令牌的 sub 须为该社工的 workerId（token sub is not a registered worker id）') {
    super(message);
    this.name = 'UnknownWorkerError';
  }
}

export class UnauthenticatedError extends Error {
  constructor(message = 'a valid bearer token is required') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** The client's If-Match no longer matches the aggregate's version. */
export class PreconditionFailedError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the resource is at version ${actual}, not ${expected}`);
    this.name = 'PreconditionFailedError';
  }
}

/** Input that passed the schema but is still unusable (bad cursor, unknown name). */
export class BadRequestError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/**
 * PostgreSQL refused a row under the named unique constraint (SQLSTATE 23505). Inline
 * projections' unique indexes are how two racing commands learn that one of them lost.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  return e?.code === '23505' && (e.constraint === constraint || !!e.message?.includes(constraint));
}
