import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface PGliteTemplateFiles {
  empty: string;
  migrated: string;
}

/** Where the templates of earlier runs are kept (node_modules: a fresh install starts without them). */
export const TEMPLATE_CACHE_DIR = join(process.cwd(), 'node_modules', '.cache', 'sws-pglite-templates');

/**
 * What the two templates are made of: the migrations, the code that runs them (and the one module a
 * migration imports from src), their maker in global-setup.ts and the lockfile (PGlite's version).
 * Any change makes new templates.
 */
export const TEMPLATE_INPUTS = [
  'migrations',
  'src/storage/migrate.ts',
  'src/storage/pglite-dialect.ts',
  'src/application/hash-chain.ts',
  'tests/support/global-setup.ts',
  'package-lock.json',
];

export function templateKey(root = process.cwd()): string {
  const hash = createHash('sha256');
  for (const input of TEMPLATE_INPUTS) {
    const path = join(root, input);
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .sort()
          .map((name) => join(path, name))
      : [path];
    for (const file of files) hash.update(file.slice(root.length)).update('\0').update(readFileSync(file)).update('\0');
  }
  hash.update(`node ${process.versions.node}`);
  return hash.digest('hex').slice(0, 24);
}

/**
 * The PGlite templates of global-setup.ts, made once per set of migrations and kept between runs:
 * making them (initdb, every migration, two dumps) was 3.3 s at the start of every run, where only
 * one core has work. Made into `scratch`, then moved into the cache whole, so a run beside this one
 * sees both files or neither; `VITEST_TEMPLATE_CACHE=0` makes them afresh every run.
 */
export async function cachedPGliteTemplates(
  scratch: string,
  make: (dir: string) => Promise<PGliteTemplateFiles>,
  cacheDir = TEMPLATE_CACHE_DIR,
): Promise<PGliteTemplateFiles> {
  if (process.env.VITEST_TEMPLATE_CACHE === '0') return make(scratch);
  const key = templateKey();
  const kept = join(cacheDir, key);
  const files = { empty: join(kept, 'pglite-empty.tar'), migrated: join(kept, 'pglite-migrated.tar') };
  if (existsSync(files.empty) && existsSync(files.migrated)) return files;
  const made = await make(scratch);
  mkdirSync(cacheDir, { recursive: true });
  // Copied beside the cache (the scratch dir may be on another file system), then renamed into place.
  const staging = mkdtempSync(join(cacheDir, '.staging-'));
  copyFileSync(made.empty, join(staging, 'pglite-empty.tar'));
  copyFileSync(made.migrated, join(staging, 'pglite-migrated.tar'));
  forgetOlderTemplates(cacheDir, key);
  try {
    renameSync(staging, kept);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // A run beside this one kept the same templates first: theirs are as good as these.
    if (!existsSync(files.migrated)) throw error;
  }
  return files;
}

/** Other keys' templates older than an hour: a run reads its templates at every test database it opens, and none lasts an hour. */
function forgetOlderTemplates(cacheDir: string, key: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(cacheDir))
    if (name !== key && statSync(join(cacheDir, name)).mtimeMs < hourAgo) rmSync(join(cacheDir, name), { recursive: true, force: true });
}
