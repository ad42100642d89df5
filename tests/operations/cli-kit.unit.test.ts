import { describe, expect, it } from 'vitest';
import { CliError, describeError, helpText, progress } from '../../src/cli/cli-kit';
import { ConfigError } from '../../src/config';

describe('cli-kit', () => {
  describe('describeError', () => {
    it('turns a refused PostgreSQL connection into one line naming the server', () => {
      const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED', address: '10.0.0.5', port: 5432 });
      expect(describeError(error)).toBe('cannot connect to the database at 10.0.0.5:5432 (connection refused): is PostgreSQL running, is DATABASE_URL right?');
    });

    it('flattens every configuration problem onto one line', () => {
      expect(describeError(new ConfigError(['PORT: too big', 'JWT_SECRET: too short']))).toBe('invalid configuration: PORT: too big; JWT_SECRET: too short');
    });

    it('keeps only the first line of an unexpected error and hides passwords in URLs', () => {
      expect(describeError(new Error('failed for postgres://u:pw@db:5432/x\n    at somewhere'))).toBe('failed for postgres://***@db:5432/x');
    });
  });

  it('lists every option, its default and the environment in --help', () => {
    const text = helpText({
      command: 'npm run x --',
      positionals: 'FILE',
      summary: 'Does x.',
      options: { force: { type: 'boolean', default: false }, url: { type: 'string' } },
      help: { force: 'overwrite', url: 'where' },
      env: { DATA_DIR: 'the data' },
    });
    expect(text.split('\n')[0]).toBe('usage: npm run x -- FILE [options]');
    expect(text).toMatch(/--force\s+overwrite \(default false\)/);
    expect(text).toMatch(/--url VALUE\s+where/);
    expect(text).toMatch(/-h, --help/);
    expect(text).toMatch(/DATA_DIR\s+the data/);
  });

  it('writes progress lines to a log (not a terminal) at most every interval, then a final line', () => {
    let out = '';
    const stream = { isTTY: false, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
    const bar = progress('rebuild x', { stream, everyMs: 60_000, unit: 'events' });
    bar.update(0, 1000);
    bar.update(500, 1000); // within the interval: not written
    bar.done('1000 events applied');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^rebuild x: 0% 0\/1000 events/);
    expect(lines[1]).toMatch(/^rebuild x: 1000 events applied \(\d+\.\d s\)$/);
  });

  it('CliError is a usage error (exit 2) unless told otherwise', () => {
    expect(new CliError('x').exitCode).toBe(2);
    expect(new CliError('x', 1).exitCode).toBe(1);
  });
});
