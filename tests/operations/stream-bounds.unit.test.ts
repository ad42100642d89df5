import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMPORT_CHUNK_SIZE } from '../../src/application/detection/data-import.service';
import { UPLOAD_LIMITS } from '../../src/application/detection/staged-record';

/**
 * Issue 14 item 8: a command loads its whole stream, so every stream type must have a stated
 * bound. A stream type added to src/domain without a row in README's "Stream lengths" fails here.
 */
function domainFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? domainFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The literal stream-id prefixes the domain defines: `xStreamId = (…) => \`prefix-…\`` and `X_STREAM = 'name'`. */
function streamPrefixes(): string[] {
  const prefixes = new Set<string>();
  for (const file of domainFiles('src/domain')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/StreamId = \([^)]*\) => `([a-z-]+)/g)) prefixes.add(m[1]!);
    for (const m of text.matchAll(/_STREAM = '([a-z-]+)'/g)) prefixes.add(m[1]!);
  }
  return [...prefixes].sort();
}

describe('stream lengths', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Stream lengths'));

  it('finds the stream types the domain defines', () => {
    const prefixes = streamPrefixes();
    expect(prefixes.length).toBeGreaterThan(15);
    expect(prefixes).toContain('data-import-');
    expect(prefixes).toContain('schedule-policy');
  });

  it('names every stream type in README "Stream lengths" with its bound', () => {
    expect(section.startsWith('## Stream lengths')).toBe(true);
    const missing = streamPrefixes().filter((p) => !section.includes(`\`${p}`));
    expect(missing, `add a row to README "Stream lengths" for: ${missing.join(', ')}`).toEqual([]);
  });

  it('keeps the one stream that grows with data (an import) within the stated 402 events', () => {
    // Started + one event per chunk + Completed, at the upload limit.
    const longest = Math.ceil(UPLOAD_LIMITS.maxRows / IMPORT_CHUNK_SIZE) + 2;
    expect(longest).toBeLessThanOrEqual(402);
    expect(section).toContain(`${UPLOAD_LIMITS.maxRows.toLocaleString('en-US')} rows / ${IMPORT_CHUNK_SIZE} + 2 = ${longest} events`);
  });
});
