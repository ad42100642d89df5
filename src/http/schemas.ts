import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../application/pagination';
import { BadRequestError } from '../application/errors';

export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`每页条数（1–${MAX_PAGE_SIZE}，默认 ${DEFAULT_PAGE_SIZE}）/ page size`),
  cursor: z.string().max(1000).optional().describe('下一页游标：上一页答复中的 nextCursor / the nextCursor of the previous page'),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item).describe('本页的条目 / the items of this page'),
    nextCursor: z.string().nullable().describe('下一页的游标，没有下一页时为 null / cursor of the next page, null on the last'),
  });

export const IdParamsSchema = z.object({ id: z.string().uuid().describe('资源 ID（UUID）/ id of the resource') });

/** `If-Match: "3"` (or W/"3", or 3) → 3. Absent → undefined. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0]! : header;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  if (!match) throw new BadRequestError('If-Match must be an ETag this service issued, e.g. "3"', 'headers.if-match');
  return Number(match[1]);
}

export const etag = (version: number) => `"${version}"`;

/**
 * `Prefer: return=minimal` (RFC 7240) on a step of a versioned resource: the front end needs no
 * representation back (an app entering a day's paperwork), so the step answers 204 with the new
 * ETag and reads nothing back, which also logs no read of personal data.
 */
export const PreferHeaders = z
  .object({
    prefer: z
      .string()
      .optional()
      .describe('return=minimal：不需要返回资源，答复 204 与新的 ETag / return=minimal: answer 204 with the new ETag instead of the resource'),
  })
  .passthrough();

/** A 204's body in a route's responses (no content; @fastify/swagger documents none for `null`). */
export const NoContent = z.null().describe('成功，无内容；新版本见 ETag / done, no content; the new version is in the ETag');

/** The If-Match header a versioned command accepts (see parseIfMatch). */
export const IfMatchHeaders = z
  .object({ 'if-match': z.string().optional().describe('资源的 ETag（如 "3"），版本不符时答复 412 / the ETag you read; 412 when it has changed') })
  .passthrough();
