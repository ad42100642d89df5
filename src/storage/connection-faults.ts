/**
 * Faults of the connection to PostgreSQL, told apart from errors of the statement itself.
 *
 * A lost connection (the server restarted, failed over, an administrator or the session's own
 * idle_in_transaction_session_timeout ended the backend, the network dropped) says nothing about
 * the request: retrying on a fresh connection is the right answer, and the client is told to
 * come back later (503) rather than that the service is broken (500).
 */

/**
 * SQLSTATEs that mean "this session is gone or cannot start", not "your statement is wrong".
 * 08: connection exception; 57P01–57P05: admin/crash shutdown, cannot connect now, idle session
 * timeout; 25P03: idle_in_transaction_session_timeout; 53300: too many connections.
 */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '25P03', '53300']);

/** Node socket errors on the way to the server. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

/** Messages node-postgres uses for a connection that died under it (they carry no code). */
const LOST_MESSAGES = [
  'connection terminated',
  'client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'connection timeout',
  'client was closed and is not queryable',
  'cannot use a pool after calling end on the pool',
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** True when the error (or what caused it) is a lost or refused database connection. */
export function isConnectionLost(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code.startsWith('08') && code.length === 5) return true;
  if (CONNECTION_SQLSTATES.has(code) || SOCKET_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message.toLowerCase() : '';
  if (LOST_MESSAGES.some((m) => message.includes(m))) return true;
  // AggregateError (a connect to several addresses) and wrapped errors.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionLost(inner, depth + 1))) return true;
  return isConnectionLost(e.cause, depth + 1);
}

/**
 * What may be logged of a database error. PostgreSQL's `detail`, `where` and `parameters`
 * can quote row values (an ID number in a unique violation), so only the classification is kept.
 */
export function describeDatabaseError(error: unknown): { code?: string; severity?: string; message: string } {
  const e = (error ?? {}) as ErrorLike & { severity?: unknown };
  const out: { code?: string; severity?: string; message: string } = {
    // 'invalid input syntax for type uuid: "…"' quotes the input: values are cut out.
    message: (typeof e.message === 'string' ? e.message : String(error)).replace(/"[^"]*"/g, '"…"').slice(0, 200),
  };
  if (typeof e.code === 'string') out.code = e.code;
  if (typeof e.severity === 'string') out.severity = e.severity;
  return out;
}

/** True for errors raised by node-postgres or the server (they are what the safety net may absorb). */
export function isDatabaseError(error: unknown): boolean {
  if (isConnectionLost(error)) return true;
  const e = error as { name?: unknown; severity?: unknown; code?: unknown } | null;
  // pg-protocol's DatabaseError carries a severity and a five-character SQLSTATE.
  return !!e && (e.name === 'DatabaseError' || (typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)));
}
