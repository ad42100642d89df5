import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { BadRequestError } from '../../application/errors';

/**
 * Input the database or our own recursion cannot take is refused here, at the edge, as a 400:
 * NUL characters (PostgreSQL text and jsonb refuse them), lone UTF-16 surrogates (not valid
 * Unicode; jsonb refuses them too) and JSON nested deeper than any real request needs.
 */
export const MAX_JSON_DEPTH = 32;

/** Depth of the deepest array/object in a JSON text, counted without parsing it. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

// \u0000 as a raw character, and lone surrogates: a high not followed by a low, a low not preceded by a high.
const FORBIDDEN = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (key or value) holding a forbidden character, or null. */
export function findForbiddenText(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return FORBIDDEN.test(value) ? path : null;
  if (depth > MAX_JSON_DEPTH + 2 || value === null || typeof value !== 'object') return null;
  // Only parsed data: a streamed body (NDJSON import) is checked row by row where it is read.
  if (Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenText(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN.test(key)) return `${path}.${key.replace(FORBIDDEN, '?')}`;
    const found = findForbiddenText(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

async function inputGuards(app: FastifyInstance): Promise<void> {
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
      return done(new BadRequestError(`JSON 嵌套层数超过上限 ${MAX_JSON_DEPTH}`, 'body'), undefined);
    }
    return defaultJson(request, body as string, done);
  });

  app.addHook('preValidation', async (request) => {
    const where = findForbiddenText(request.params, 'params') ?? findForbiddenText(request.query, 'query') ?? findForbiddenText(request.body, 'body');
    if (where) throw new BadRequestError(`${where} 含有不允许的字符（NUL 或不成对的代理项）`, where);
  });
}

export default fp(inputGuards, { name: 'input-guards' });
