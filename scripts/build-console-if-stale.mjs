// `npm start`'s prestart: builds the web console (web/ → web/dist) when it was never built or any
// of its sources is newer than the build, so `npm install && npm start` serves it on a fresh
// checkout. Quick when nothing changed (a walk over web/src). Without vite (production install
// with --omit=dev) it says so and the service starts without a console.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const built = join('web', 'dist', 'index.html');
const sources = [join('web', 'src'), join('web', 'index.html'), join('web', 'vite.config.ts'), 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function consoleIsStale() {
  return !existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!consoleIsStale()) process.exit(0);
  try {
    createRequire(import.meta.url).resolve('vite');
  } catch {
    console.warn('web console: vite is not installed (npm install), starting without the console');
    process.exit(0);
  }
  console.log('web console: building web/ (once, or after web/src changed)…');
  const result = spawnSync('npm', ['run', '--silent', 'web:build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    console.error('web console: the build failed (see above); starting without the console');
  }
}
