import type { Logger } from 'pino';
import { describeDatabaseError, isDatabaseError } from './storage/connection-faults';

/**
 * The last line of defence of `npm start`: an error nobody caught reaches the process.
 *
 * A database error there means a connection died somewhere no one was listening (the storage
 * adapter listens on every client it creates, so this is a library's own socket or a future
 * code path): the pool replaces the connection and the request, if any, has already failed, so
 * the service logs it and keeps serving. Anything else is a bug of unknown extent: it is logged
 * and the service stops cleanly (exit code 1) for its supervisor to restart it.
 *
 * Only the classification of an error is logged, never its message's values or a detail field:
 * either can quote personal data.
 */
export function installSafetyNet(logger: Logger, stop: (reason: string) => void): () => void {
  const handle = (error: unknown, origin: string) => handleEscapedError(error, origin, logger, stop);
  const onException = (error: Error, origin: string) => handle(error, origin);
  const onRejection = (reason: unknown) => handle(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

/** One escaped error: absorbed when it is the database's, otherwise a clean stop. Returns what it did. */
export function handleEscapedError(error: unknown, origin: string, logger: Logger, stop: (reason: string) => void): 'absorbed' | 'stopping' {
  if (isDatabaseError(error)) {
    logger.error({ db: describeDatabaseError(error), origin }, 'database error reached the process; the service keeps running');
    return 'absorbed';
  }
  const e = error as { name?: unknown; code?: unknown; stack?: unknown } | null;
  // The stack without its first line: the frames say where, the message might say whom.
  const frames = typeof e?.stack === 'string' ? e.stack.split('\n').slice(1, 12).join('\n') : undefined;
  logger.fatal(
    { origin, error: { name: typeof e?.name === 'string' ? e.name : typeof error, code: typeof e?.code === 'string' ? e.code : undefined, frames } },
    'uncaught error; stopping',
  );
  stop(origin);
  return 'stopping';
}
