import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { handleEscapedError } from '../../src/process-safety-net';

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  const stops: string[] = [];
  return { logger, lines, stops, stop: (reason: string) => stops.push(reason) };
}

describe('the process-level safety net of npm start', () => {
  it('keeps running when a database error escapes (a connection that died unobserved), logging only its class', () => {
    const c = capture();
    const error = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
      severity: 'FATAL',
      detail: 'Key (id_number)=(530626199001011234)',
    });
    expect(handleEscapedError(error, 'uncaughtException', c.logger, c.stop)).toBe('absorbed');
    expect(c.stops).toEqual([]);
    expect(c.lines.join('')).toContain('57P01');
    expect(c.lines.join('')).not.toContain('530626199001011234');
  });

  it('stops cleanly on any other error, logging where it happened but not its message', () => {
    const c = capture();
    const error = new TypeError('cannot read name of 张三 530626199001011234');
    expect(handleEscapedError(error, 'unhandledRejection', c.logger, c.stop)).toBe('stopping');
    expect(c.stops).toEqual(['unhandledRejection']);
    const logged = c.lines.join('');
    expect(logged).toContain('TypeError');
    expect(logged).not.toContain('张三');
    expect(logged).not.toContain('530626199001011234');
  });
});
