// Keeps `engines` honest: every installed package must declare support for the Node versions
// package.json promises (its `engines.node`, checked at that range's minimum and at the running
// Node). There is no exception list: a package that declares a newer Node fails CI, so a
// dependency bump cannot quietly raise the requirement. Packages whose every release in their
// dependant's range declares a newer Node are pinned in package.json `overrides` to the newest
// release that supports ours (cookie and content-disposition: same API, tested in
// tests/http/pinned-dependencies.unit.test.ts).
import { readFileSync } from 'node:fs';
import semver from 'semver';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const promised = pkg.engines?.node;
const floor = semver.minVersion(promised)?.version;
const targets = [...new Set([floor, process.versions.node].filter(Boolean))];

const failures = [];
for (const [path, info] of Object.entries(lock.packages)) {
  if (!path || !info.engines?.node || typeof info.engines.node !== 'string') continue;
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const id = `${name}@${info.version}`;
  const bad = targets.filter((v) => !semver.satisfies(v, info.engines.node, { includePrerelease: true }));
  if (bad.length === 0) continue;
  failures.push(`${id} declares node ${info.engines.node}, package.json promises ${promised} (fails on ${bad.join(', ')})`);
}
if (failures.length) {
  for (const line of failures) console.error(`engines: ${line}`);
  console.error('engines: pin a version that supports the promised Node (package.json overrides), or raise engines.node and say why');
  process.exit(1);
}
console.log(`engines: every package supports node ${promised} (checked ${targets.join(' and ')})`);
