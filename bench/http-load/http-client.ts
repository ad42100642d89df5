/**
 * What the HTTP loader sends its requests through: real HTTP (Node's fetch, undici underneath)
 * to a listening service, a bearer token each, at most `inflight` requests on the wire at once
 * (as the front ends of a county would keep them), and a count of what was sent.
 */
export class HttpLoadError extends Error {
  override name = 'HttpLoadError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    // The problem body carries the refusal's code and field, never the request's personal data.
    super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
  }
}

export class HttpLoadClient {
  /** Requests answered (any status) since the last `takeCount`. */
  private sent = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly baseUrl: string,
    readonly inflight: number,
  ) {}

  /** Sends one JSON request and returns the parsed 2xx answer (undefined for a 204); anything else throws. */
  async send<T>(method: 'GET' | 'POST' | 'PUT', path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    await this.slot();
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      this.sent++;
      if (!response.ok) throw new HttpLoadError(method, path, response.status, text);
      return (response.status === 204 ? undefined : JSON.parse(text)) as T;
    } finally {
      this.release();
    }
  }

  get<T>(path: string, token: string): Promise<T> {
    return this.send<T>('GET', path, token);
  }

  post<T>(path: string, token: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return this.send<T>('POST', path, token, body, headers);
  }

  put<T>(path: string, token: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, token, body);
  }

  /** Requests answered since the last call. */
  takeCount(): number {
    const n = this.sent;
    this.sent = 0;
    return n;
  }

  private async slot(): Promise<void> {
    if (this.active < this.inflight) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter: `active` stays as it is.
    if (next) next();
    else this.active--;
  }
}
