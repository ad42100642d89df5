import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../application/pagination';
import { BadRequestError } from '../application/errors';

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(1000).optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const IdParamsSchema = z.object({ id: z.string().uuid() });

/** `If-Match: "3"` (or W/"3", or 3) → 3. Absent → undefined. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0]! : header;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  if (!match) throw new BadRequestError('If-Match must be an ETag this service issued, e.g. "3"', 'headers.if-match');
  return Number(match[1]);
}

export const etag = (version: number) => `"${version}"`;

/** The If-Match header a versioned command accepts (see parseIfMatch). */
export const IfMatchHeaders = z.object({ 'if-match': z.string().optional() }).passthrough();
