import { BENEFICIARY_FIELDS, FINDING_FIELDS, SERVICE_RECORD_FIELDS, STAFF_FIELDS, VOLUNTEER_FIELDS } from '../../src/application/privacy/classification';

/**
 * Which GET routes of the OpenAPI document (/docs/json) can return personal data, read from
 * their declared 2xx response schemas: a property named as a classified field (classification.ts)
 * or `personalDataMasked`, or a schema that can hold anything (an open object, an untyped value,
 * a map of text under any member names, a streamed string: decisions, case history, exports,
 * reports). The masking matrix must have a row for
 * each, or say why it holds none.
 *
 * Field names that also name things other than people (a town's `name`, a station's `note`, a
 * rule's `reason`, a project's `description`) are left out: on their own they say nothing.
 */
const GENERIC_NAMES = new Set(['name', 'note', 'notes', 'reason', 'reasons', 'description', 'summary', 'result', 'inputs']);
const CLASSIFIED = new Set(
  [BENEFICIARY_FIELDS, VOLUNTEER_FIELDS, STAFF_FIELDS, SERVICE_RECORD_FIELDS, FINDING_FIELDS]
    .flatMap((fields) => Object.keys(fields))
    .filter((key) => !GENERIC_NAMES.has(key))
    .concat('personalDataMasked'),
);

type Schema = Record<string, any>;

export function routesWithPersonalData(doc: Schema): Set<string> {
  const resolve = (schema: unknown): Schema | undefined => {
    let s = schema as Schema | undefined;
    for (let i = 0; s?.$ref && i < 10; i++)
      s = String(s.$ref)
        .split('/')
        .slice(1)
        .reduce((o: Schema, k: string) => o?.[k], doc);
    return s;
  };
  const holdsPersonalData = (raw: unknown, depth: number): boolean => {
    const s = resolve(raw);
    if (!s || typeof s !== 'object') return true;
    if (depth > 16) return false;
    const union: unknown[] = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
    if (union.some((u) => holdsPersonalData(u, depth + 1))) return true;
    if (s.items && holdsPersonalData(s.items, depth + 1)) return true;
    for (const [key, value] of Object.entries<unknown>(s.properties ?? {})) if (CLASSIFIED.has(key) || holdsPersonalData(value, depth + 1)) return true;
    const extra = s.additionalProperties;
    // Members of any name: a map of text (a report's rows) can hold anything, as can one of anything.
    if (extra && typeof extra === 'object' && (Object.keys(extra).length === 0 ? !s.properties : holdsText(extra) || holdsPersonalData(extra, depth + 1)))
      return true;
    const shapeless = !union.length && !s.items && !s.properties && !extra;
    // Anything at all, or an object with no declared members; a bare top-level string is a download.
    return shapeless && (s.type === undefined || s.type === 'object' || (depth === 0 && s.type === 'string' && !s.enum && !s.format));
  };
  const holdsText = (raw: unknown): boolean => {
    const s = resolve(raw);
    return !!s && (s.type === 'string' || [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(holdsText));
  };
  const found = new Set<string>();
  for (const [path, operations] of Object.entries<Schema>(doc.paths ?? {})) {
    const get = operations.get;
    if (!get) continue;
    const answers = Object.entries<Schema>(get.responses ?? {}).filter(([code]) => code.startsWith('2'));
    const contents = answers.flatMap(([, r]) => Object.values<Schema>(resolve(r)?.content ?? {}));
    if (answers.length === 0 || contents.length === 0 || contents.some((c) => holdsPersonalData(c.schema, 0))) found.add(`GET ${path}`);
  }
  return found;
}

/** A concrete URL (ids, query) as the path the OpenAPI document names it by. */
export function openApiPath(url: string): string {
  return url.split('?')[0]!.replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi, '/{id}');
}
