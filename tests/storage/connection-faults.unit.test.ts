import { describe, expect, it } from 'vitest';
import { describeDatabaseError, isConnectionLost, isDatabaseError } from '../../src/storage/connection-faults';

const pgError = (code: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL', ...extra });

describe('telling a lost connection from a failed statement', () => {
  it.each([
    ['pg_terminate_backend', pgError('57P01', 'terminating connection due to administrator command')],
    ['idle_in_transaction_session_timeout', pgError('25P03', 'terminating connection due to idle-in-transaction timeout')],
    ['server restarting', pgError('57P03', 'the database system is starting up')],
    ['connection failure class 08', pgError('08006', 'connection failure')],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['socket refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['socket reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['node-postgres: terminated', new Error('Connection terminated unexpectedly')],
    ['node-postgres: broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped', new Error('append failed', { cause: new Error('Connection terminated') })],
    ['several addresses', Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), {})],
  ])('%s is a lost connection', (_name, error) => {
    expect(isConnectionLost(error)).toBe(true);
    expect(isDatabaseError(error)).toBe(true);
  });

  it.each([
    ['unique violation', pgError('23505', 'duplicate key value violates unique constraint "x"')],
    ['syntax error', pgError('42601', 'syntax error at or near "selec"')],
    ['serialization failure', pgError('40001', 'could not serialize access')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['nothing', undefined],
  ])('%s is not', (_name, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });

  it('logs the classification of a database error, never the values it quotes', () => {
    const error = pgError('22P02', 'invalid input syntax for type uuid: "530626199001011234"', {
      detail: 'Key (id_number)=(530626199001011234) already exists.',
      where: 'SQL function',
    });
    const described = describeDatabaseError(error);
    expect(described).toEqual({ code: '22P02', severity: 'FATAL', message: 'invalid input syntax for type uuid: "…"' });
    expect(JSON.stringify(described)).not.toContain('530626199001011234');
  });

  it('recognises server errors as database errors, and ordinary errors as not', () => {
    expect(isDatabaseError(Object.assign(new Error('x'), { name: 'DatabaseError', code: '23505' }))).toBe(true);
    expect(isDatabaseError(new RangeError('Invalid time value'))).toBe(false);
  });
});
