import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/application/hash-chain';
import { decodeCursor, encodeCursor } from '../../src/application/pagination';
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';

describe('configuration from the environment', () => {
  it('defaults to embedded PGlite under ./data on port 3000', () => {
    expect(loadConfig({})).toMatchObject({ DATA_DIR: './data', PORT: 3000, LOG_LEVEL: 'info' });
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
  });

  it('uses prepared statements unless told not to, and refuses anything but true or false', () => {
    expect(loadConfig({}).DB_PREPARED_STATEMENTS).toBe(true);
    expect(loadConfig({ DB_PREPARED_STATEMENTS: 'false' }).DB_PREPARED_STATEMENTS).toBe(false);
    expect(() => loadConfig({ DB_PREPARED_STATEMENTS: 'no' })).toThrow(/DB_PREPARED_STATEMENTS/);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', JWT_SECRET: 'short', LOG_LEVEL: 'loud', DATABASE_URL: 'nope' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'JWT_SECRET', 'LOG_LEVEL', 'DATABASE_URL']) expect(text).toContain(name);
    }
  });
});

describe('logs', () => {
  it('never contain ID numbers, phone numbers, health fields or credentials', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger('info', sink);
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi' } },
        person: { name: '张三', idNumber: '11010519491231002X', phone: '13800000000', health: { seriousIllness: '尿毒症' } },
        household: { head: { nationalId: '530626199001011234', disabilityGrade: 1 } },
      },
      'recorded',
    );
    const text = lines.join('');
    for (const secret of ['11010519491231002X', '13800000000', '尿毒症', '530626199001011234', 'abc.def.ghi', '"disabilityGrade":1']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('张三');
  });
});

describe('canonical JSON and cursors', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":1,"z":0}]},"b":1}');
  });
  it('round-trips a cursor and refuses a forged one', () => {
    expect(decodeCursor(encodeCursor({ code: 'x' }))).toEqual({ code: 'x' });
    expect(() => decodeCursor('%%%')).toThrow(/cursor/);
  });
});
