// npm run lint: ESLint over the tree (eslint.config.js), failing on any error or warning, and on
// an entry of ANY_EXEMPT that no longer uses `any`, so that the list of exemptions only shrinks.
// One ESLint run: the exempted files are linted with the `any` rules as warnings, which are
// counted, not printed.
import { relative } from 'node:path';
import { ESLint } from 'eslint';
import { ANY_EXEMPT, ANY_RULES } from '../eslint.config.js';

const anyRules = new Set(ANY_RULES);
const eslint = new ESLint({
  overrideConfig: [{ files: ANY_EXEMPT, rules: Object.fromEntries(ANY_RULES.map((rule) => [rule, 'warn'])) }],
});
const results = await eslint.lintFiles(['.']);

const stillUsingAny = new Set();
for (const result of results) {
  const file = relative(process.cwd(), result.filePath);
  if (!ANY_EXEMPT.includes(file)) continue;
  const kept = result.messages.filter((m) => !(m.severity === 1 && anyRules.has(m.ruleId ?? '')));
  if (kept.length < result.messages.length) stillUsingAny.add(file);
  result.warningCount -= result.messages.length - kept.length;
  result.messages = kept;
}

const output = (await eslint.loadFormatter('stylish')).format(results);
if (output) console.log(output);
const stale = ANY_EXEMPT.filter((file) => !stillUsingAny.has(file));
if (stale.length) {
  console.error(`These files no longer use any (or are gone): take them out of ANY_EXEMPT in eslint.config.js\n  ${stale.join('\n  ')}`);
}
const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
process.exitCode = problems > 0 || stale.length > 0 ? 1 : 0;
