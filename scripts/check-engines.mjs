// Keeps `engines` honest: every installed package must declare support for the Node versions
// package.json promises (its `engines.node`, checked at that range's minimum and at the running
// Node). Known exceptions are listed with the reason they are harmless; any other package that
// declares a newer Node fails CI, so a dependency bump cannot quietly raise the requirement.
import { readFileSync } from 'node:fs';
import semver from 'semver';

/**
 * cookie 2.x (via fastify's light-my-request, used by inject) and content-disposition 3.x (via
 * @fastify/static, which serves the Swagger UI files) declare node >= 22 because the jshttp
 * project stopped testing older Node releases, not because they use newer APIs: both are plain
 * ES2020 modules with no dependencies, every version of each that fastify 5.12 accepts declares
 * the same, and both load and run on Node 20 here (light-my-request backs every fastify.inject
 * test; @fastify/static is loaded by every app build for /docs). Pinning light-my-request 6.6 and
 * @fastify/static 10.1.3 (the last releases on cookie 1 / content-disposition 2) would trade
 * this warning for older code in the request path. Revisit when Node 20 reaches end of life.
 */
const HARMLESS = new Map([
  ['cookie@2.0.2', 'declares node >= 22; plain ES2020, loaded by every test on Node 20'],
  ['content-disposition@3.1.0', 'declares node >= 22; plain ES2020, loaded by every test on Node 20'],
]);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const promised = pkg.engines?.node;
const floor = semver.minVersion(promised)?.version;
const targets = [...new Set([floor, process.versions.node].filter(Boolean))];

const failures = [];
const excused = [];
for (const [path, info] of Object.entries(lock.packages)) {
  if (!path || !info.engines?.node || typeof info.engines.node !== 'string') continue;
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const id = `${name}@${info.version}`;
  const bad = targets.filter((v) => !semver.satisfies(v, info.engines.node, { includePrerelease: true }));
  if (bad.length === 0) continue;
  if (HARMLESS.has(id)) excused.push(`${id} (${HARMLESS.get(id)})`);
  else failures.push(`${id} declares node ${info.engines.node}, package.json promises ${promised} (fails on ${bad.join(', ')})`);
}
for (const line of excused) console.log(`engines: known and harmless: ${line}`);
if (failures.length) {
  for (const line of failures) console.error(`engines: ${line}`);
  console.error('engines: pin a version that supports the promised Node, or raise engines.node in package.json and say why');
  process.exit(1);
}
console.log(`engines: every package supports node ${promised} (checked ${targets.join(' and ')})`);
