import createClient, { type Middleware } from 'openapi-fetch';
import { acceptLanguageOf, readLanguage } from '../i18n/language';
import { loadSession } from '../session/session';
import type { paths } from './schema';

/**
 * The one API client: typed by web/src/api/schema.d.ts (npm run api:client), it adds the signed-in
 * user's bearer token and the UI language to every request. Same origin: the service serves the
 * console, so no CORS and no base URL to configure.
 */
const headers: Middleware = {
  onRequest({ request }) {
    const session = loadSession();
    if (session) request.headers.set('Authorization', `Bearer ${session.token}`);
    request.headers.set('Accept-Language', acceptLanguageOf(readLanguage()));
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? 'http://localhost' });
api.use(headers);

/** A fresh Idempotency-Key for one user action: retries of that action reuse it. */
export const newIdempotencyKey = (): string => crypto.randomUUID();
