// Second half of `npm run build` (after tsc and tsc-alias): copies the data files the compiled
// code reads at run time and writes the entry point `node dist/main.js`.
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = 'dist';
rmSync(join(dist, 'policies'), { recursive: true, force: true });
// src/**/x.ts reads ../../policies/*.json from import.meta.url: dist/src/** finds dist/policies.
cpSync('policies', join(dist, 'policies'), { recursive: true });

writeFileSync(join(dist, 'main.js'), "import './src/main.js';\n");
// The web console (npm run web:build → web/dist): dist/src/http/console.js serves ../../web/dist.
if (existsSync(join('web', 'dist', 'index.html'))) cpSync(join('web', 'dist'), join(dist, 'web', 'dist'), { recursive: true });
cpSync(join('scripts', 'healthcheck.mjs'), join(dist, 'healthcheck.mjs'));
// PGlite's worker thread is plain JavaScript beside pglite-thread.ts, started from its import.meta.url.
cpSync(join('src', 'storage', 'pglite-thread.worker.mjs'), join(dist, 'src', 'storage', 'pglite-thread.worker.mjs'));
// The whole-log verify's worker threads start from a plain JavaScript entry beside log-verify-thread.ts.
cpSync(join('src', 'storage', 'log-verify-thread.worker.mjs'), join(dist, 'src', 'storage', 'log-verify-thread.worker.mjs'));
// …and its MAC thread (plain JavaScript, started from mac-thread.ts's import.meta.url).
cpSync(join('src', 'storage', 'mac-thread.worker.mjs'), join(dist, 'src', 'storage', 'mac-thread.worker.mjs'));
// …and the prepared statements it shares with the main thread (pglite-statements.mjs, imported by both).
cpSync(join('src', 'storage', 'pglite-statements.mjs'), join(dist, 'src', 'storage', 'pglite-statements.mjs'));
// Commands run as `node dist/src/cli/NAME.js` (no shims: some check that they are the main module).
