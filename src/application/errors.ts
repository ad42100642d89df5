/** Errors the application raises; the HTTP layer maps each to one problem type and status. */
export class NotFoundError extends Error {
  constructor(readonly resource: string, readonly id: string) {
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

export class UnauthenticatedError extends Error {
  constructor(message = 'a valid bearer token is required') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** The client's If-Match no longer matches the aggregate's version. */
export class PreconditionFailedError extends Error {
  constructor(readonly expected: number, readonly actual: number) {
    super(`the resource is at version ${actual}, not ${expected}`);
    this.name = 'PreconditionFailedError';
  }
}

/** Input that passed the schema but is still unusable (bad cursor, unknown name). */
export class BadRequestError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}
