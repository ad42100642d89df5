/**
 * Redaction by value: whatever key a value sits under (a free-text note, a query string, a
 * database error message), a national ID number or a mobile phone number never reaches a log
 * line. Runs over the final serialized line, so nothing can slip past a missing key name.
 */

// 18-digit resident ID (last char may be X) and the old 15-digit form; not inside longer digit runs.
const ID_NUMBER = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
// Mainland mobile numbers, optionally with +86 / 86 prefix and separators.
const PHONE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g;
// The same digits percent-encoded in a URL never contain separators, so the patterns above cover
// them; an ID number's X may be percent-encoded only if a client encodes letters, which none do.

export const REDACTED = '[redacted]';

export function redactValues(text: string): string {
  return text.replace(ID_NUMBER, REDACTED).replace(PHONE, REDACTED);
}

/** Query parameters whose values are personal whatever their shape (names, searches, tokens). */
const SENSITIVE_QUERY_KEYS = new Set(['name', 'idnumber', 'phone', 'q', 'search', 'token', 'access_token', 'jwt', 'decidedby', 'address']);
// Values kept as they are: ids, numbers, dates, periods, enum-like words. Everything else is redacted.
const SAFE_QUERY_VALUE =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{1,6}|\d{4}-\d{2}(?:-\d{2})?|\d{4}-[HQ]\d|[a-z_]{1,32}|\d{1,3}[dmwy])$/i;

/** A request URL for the log: the path as it is, query values redacted unless plainly harmless. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return redactValues(url);
  const path = url.slice(0, q);
  const params = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      let value = eq < 0 ? '' : pair.slice(eq + 1);
      let decodedKey: string;
      try {
        decodedKey = decodeURIComponent(key);
        value = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        return `${key.slice(0, 40)}=${REDACTED}`;
      }
      const safe = !SENSITIVE_QUERY_KEYS.has(decodedKey.toLowerCase()) && SAFE_QUERY_VALUE.test(value);
      return `${encodeURIComponent(decodedKey.slice(0, 40))}=${safe ? encodeURIComponent(value) : REDACTED}`;
    });
  return redactValues(`${path}${params.length ? `?${params.join('&')}` : ''}`);
}
