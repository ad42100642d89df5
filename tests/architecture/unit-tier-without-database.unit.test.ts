import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmptyPGlite, openTestDatabase } from '../support/test-database';

/**
 * Issue 18: the unit tier (pure code, the domain) runs without any database, so it needs no
 * global set-up and stays fast on a loaded machine. The helpers refuse here, and no unit file
 * reaches for a database driver or the storage adapters directly.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const DATABASE_MODULES = /from ['"](@electric-sql\/pglite|pg|testcontainers|@testcontainers\/postgresql|[./]+\/src\/storage\/(pglite|postgres)-database)['"]/;

function unitFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return unitFiles(path);
    return entry.name.endsWith('.unit.test.ts') ? [path] : [];
  });
}

describe('the unit tier', () => {
  it('refuses to open a test database or an empty PGlite (startTestApp opens its database first)', async () => {
    await expect(openTestDatabase()).rejects.toThrow(/unit tier runs without a database/);
    await expect(openEmptyPGlite()).rejects.toThrow(/unit tier runs without a database/);
  });

  it('has no file that imports a database driver or storage adapter', () => {
    const files = unitFiles(join(ROOT, 'tests'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) => DATABASE_MODULES.test(readFileSync(file, 'utf8'))).map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
