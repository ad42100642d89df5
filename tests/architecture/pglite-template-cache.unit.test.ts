import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedPGliteTemplates, templateKey, TEMPLATE_INPUTS } from '../support/pglite-template-cache';

describe('the PGlite templates kept between test runs', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'sws-template-cache-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  let made = 0;
  const make = async (dir: string) => {
    made += 1;
    const empty = join(dir, `empty-${made}.tar`);
    const migrated = join(dir, `migrated-${made}.tar`);
    writeFileSync(empty, `empty ${made}`);
    writeFileSync(migrated, `migrated ${made}`);
    return { empty, migrated };
  };

  it('makes them once, then hands every later run the kept files', async () => {
    const cache = join(scratch, 'cache');
    mkdirSync(join(scratch, 'a'));
    mkdirSync(join(scratch, 'b'));
    const first = await cachedPGliteTemplates(join(scratch, 'a'), make, cache);
    const again = await cachedPGliteTemplates(join(scratch, 'b'), make, cache);
    expect(made).toBe(1);
    expect(again).toEqual(first);
    expect(first.migrated.startsWith(join(cache, templateKey()))).toBe(true);
    expect(readFileSync(again.empty, 'utf8')).toBe('empty 1');
    expect(readFileSync(again.migrated, 'utf8')).toBe('migrated 1');
  });

  it('names them after what they are made of: a changed migration makes new ones', () => {
    const root = join(scratch, 'checkout');
    for (const input of TEMPLATE_INPUTS) {
      mkdirSync(dirname(join(root, input)), { recursive: true });
      cpSync(join(process.cwd(), input), join(root, input), { recursive: true });
    }
    expect(templateKey(root)).toBe(templateKey());
    appendFileSync(join(root, 'migrations', '0001_event_store.ts'), '\n// a changed migration\n');
    expect(templateKey(root)).not.toBe(templateKey());
  });
});
