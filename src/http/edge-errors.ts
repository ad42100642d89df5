/**
 * Refusals made at the HTTP edge to protect the service (rate limits, bounded concurrency of
 * heavy routes). The error handler maps it to 429 with Retry-After.
 */
export class TooManyRequestsError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly kind: 'rate-limited' | 'busy',
  ) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}
