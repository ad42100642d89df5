// Second half of `npm run build` (after tsc and tsc-alias): copies the data files the compiled
// code reads at run time and writes the entry points `node dist/main.js` and `node dist/cli/*.js`.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = 'dist';
rmSync(join(dist, 'policies'), { recursive: true, force: true });
// src/**/x.ts reads ../../policies/*.json from import.meta.url: dist/src/** finds dist/policies.
cpSync('policies', join(dist, 'policies'), { recursive: true });

writeFileSync(join(dist, 'main.js'), "import './src/main.js';\n");
cpSync(join('scripts', 'healthcheck.mjs'), join(dist, 'healthcheck.mjs'));
rmSync(join(dist, 'cli'), { recursive: true, force: true });
mkdirSync(join(dist, 'cli'));
for (const file of readdirSync(join(dist, 'src', 'cli'))) {
  if (!file.endsWith('.js')) continue;
  writeFileSync(join(dist, 'cli', file), `import '../src/cli/${file}';\n`);
}
