// `npm run web:budget`: the JavaScript a browser downloads (gzip) for the console's first load plus
// the worker's screens (issue 17's budget: under 500 KB), from the build's manifest
// (web/dist/.vite/manifest.json; run npm run web:build first). Exits 1 over the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join('web', 'dist');
const BUDGET_KB = 500;
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

/** A chunk and every chunk it imports statically (what the browser must fetch before it runs). */
function closure(key, into = new Set()) {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const imported of chunk.imports ?? []) closure(imported, into);
  return into;
}

const gzipKb = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1024;
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
const first = closure(entry);
// The worker's screens: every page the worker's routes load lazily.
const workerPages = Object.keys(manifest).filter((key) => key.startsWith('src/roles/worker/') && key !== 'src/roles/worker/routes.tsx');
const worker = new Set(first);
// After signing in: the shell and antd (their own chunk since the sign-in page went plain), then the pages.
for (const page of ['src/app/SignedInConsole.tsx', ...workerPages]) closure(page, worker);

const total = (files) => [...files].filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzipKb(f), 0);
const firstKb = total(first);
const workerKb = total(worker);
const allJs = Object.values(manifest)
  .map((c) => c.file)
  .filter((f, i, all) => f.endsWith('.js') && all.indexOf(f) === i);
console.log('console JavaScript, gzip -9:');
for (const file of [...worker].filter((f) => f.endsWith('.js')).sort((a, b) => gzipKb(b) - gzipKb(a))) {
  console.log(`  ${gzipKb(file).toFixed(1).padStart(7)} KB  ${file}${first.has(file) ? '  (first load)' : ''}`);
}
console.log(`first load (sign-in):             ${firstKb.toFixed(1)} KB`);
console.log(`sign-in + worker screens:         ${workerKb.toFixed(1)} KB  (budget ${BUDGET_KB} KB)`);
console.log(`whole console (every role):       ${total(allJs).toFixed(1)} KB`);
if (workerKb > BUDGET_KB) {
  console.error(`over budget: ${workerKb.toFixed(1)} KB > ${BUDGET_KB} KB; split the heavy screens into lazy chunks`);
  process.exit(1);
}
