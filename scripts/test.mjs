#!/usr/bin/env node
/**
 * `npm test`: the type check and the in-process tiers (unit, int, api, web) side by side. The
 * type check is one thread for 6 s (20 s from a clean checkout) and the tests' first seconds are
 * one thread too (the migrated templates, global-setup.ts), so one after the other left a core
 * idle twice. Either failing fails the run; the type checker's complaints are printed at the end.
 * Arguments go to vitest (`npm test -- tests/http`).
 */
import { spawn } from 'node:child_process';

const TIERS = ['unit', 'int-api', 'int-alone', 'web'];

const exitOf = (child) => new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

const typecheck = spawn('npm', ['run', '--silent', 'typecheck'], { stdio: ['ignore', 'pipe', 'pipe'] });
let complaints = '';
typecheck.stdout.on('data', (chunk) => (complaints += chunk));
typecheck.stderr.on('data', (chunk) => (complaints += chunk));
const typechecked = exitOf(typecheck);

const vitest = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...TIERS.flatMap((tier) => ['--project', tier]), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
const tested = await exitOf(vitest);
const checked = await typechecked;
if (checked !== 0) {
  process.stderr.write(complaints);
  process.stderr.write('\nnpm test: the type check failed (npm run typecheck)\n');
}
process.exit(checked !== 0 || tested !== 0 ? 1 : 0);
