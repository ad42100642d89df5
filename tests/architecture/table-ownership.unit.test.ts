import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 18: no service, query or route touches another feature's read-model tables except
 * through that feature's query functions. A table belongs to the slice whose projection lists it
 * in `tables: [...]` (src/projections/<slice>/); a file of slice S (src/<layer>/<S>/…) may name
 * only S's tables. Files at a layer's root (shared machinery) own no table.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const SCANNED_LAYERS = ['application', 'projections', 'http'];

/**
 * Cross-feature reads that are still there, file → tables. This list only shrinks: the test fails
 * when a file here no longer reads a table listed (remove it) and when any other file starts to.
 * Each is a join across read models that has not yet been split into the owners' query functions.
 */
const KNOWN_CROSS_FEATURE: Record<string, readonly string[]> = {
  // The coverage report's query-time oracle joins seven tables of geography, workforce and stations
  // (the report itself reads the coverage projection's own tables).
  'projections/coverage/coverage-oracle.queries.ts': [
    'rm_certifications',
    'rm_group_responsibilities',
    'rm_groups',
    'rm_mentoring',
    'rm_stations',
    'rm_towns',
    'rm_training_sessions',
    'rm_villages',
    'rm_worker_links',
    'rm_workers',
  ],
  'projections/households/households.queries.ts': ['rm_groups'],
  'projections/visits/visits.queries.ts': ['rm_group_responsibilities', 'rm_groups'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const posix = (path: string) => relative(SRC, path).split(sep).join('/');

/** table → owning slice, from the projections' `tables: [...]` lists. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of filesUnder(join(SRC, 'projections'))) {
    const slice = posix(file).split('/')[1];
    if (!slice || slice.endsWith('.ts')) continue;
    for (const list of readFileSync(file, 'utf8').matchAll(/\btables:\s*\[([^\]]*)\]/g)) {
      for (const [, table] of list[1]!.matchAll(/'(rm_[a-z0-9_]+)'/g)) owners.set(table!, slice);
    }
  }
  return owners;
}

/** file (relative to src/) → the other slices' tables it names. */
function crossFeatureReads(owners: ReadonlyMap<string, string>): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const layer of SCANNED_LAYERS) {
    for (const file of filesUnder(join(SRC, layer))) {
      const path = posix(file);
      const parts = path.split('/');
      const slice = parts.length > 2 ? parts[1] : null;
      // A projection's `tables: [...]` (what its rebuild empties) declares, it does not read.
      const text = readFileSync(file, 'utf8').replace(/\btables:\s*\[[^\]]*\]/g, '');
      const foreign = [...owners].filter(([table, owner]) => owner !== slice && new RegExp(`\\b${table}\\b`).test(text)).map(([table]) => table);
      if (foreign.length) found[path] = foreign.sort();
    }
  }
  return found;
}

describe('read-model tables are read through their owner', () => {
  const owners = tableOwners();

  it('finds an owner for every read-model table of the schema', () => {
    const schema = readFileSync(join(SRC, 'storage', 'database.generated.ts'), 'utf8');
    const tables = [...schema.matchAll(/^ {2}(rm_[a-z0-9_]+):/gm)].map((m) => m[1]!);
    expect(tables.length).toBeGreaterThan(40);
    expect(tables.filter((t) => !owners.has(t))).toEqual([]);
  });

  it('has no cross-feature table access beyond the known, shrinking list', () => {
    const found = crossFeatureReads(owners);
    const unexpected = Object.entries(found).flatMap(([file, tables]) =>
      tables
        .filter((t) => !(KNOWN_CROSS_FEATURE[file] ?? []).includes(t))
        .map((t) => `${file} reads ${t} (owned by ${owners.get(t)}): add a query function there`),
    );
    expect(unexpected).toEqual([]);
    const gone = Object.entries(KNOWN_CROSS_FEATURE).flatMap(([file, tables]) =>
      tables.filter((t) => !(found[file] ?? []).includes(t)).map((t) => `${file} no longer reads ${t}: remove it from KNOWN_CROSS_FEATURE`),
    );
    expect(gone).toEqual([]);
  });

  it('would catch a service reading another feature’s table', () => {
    const text = 'await sql`select 1 from rm_worker_links`';
    const foreign = [...owners].filter(([table, owner]) => owner !== 'households' && new RegExp(`\\b${table}\\b`).test(text));
    expect(foreign.map(([t]) => t)).toEqual(['rm_worker_links']);
  });
});
