/** Column decoding shared by the detection queries (PGlite and node-postgres return dates and jsonb differently). */
export const day = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
export const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
export const iso = (v: unknown): string | null => (v == null ? null : new Date(v as string).toISOString());
