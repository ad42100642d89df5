import { ROLES } from '../application/actor';
import { loadConfig } from '../config';
import { CliError, parseCli, runCli } from './cli-kit';
import { demoTokens, formatDemoTokens } from './demo-tokens';
import { mintLocalToken } from './mint-token';

const spec = {
  command: 'npm run -s token --',
  summary:
    'Mints an HS256 token for local use, signed with JWT_SECRET or the secret npm start generated in DATA_DIR/jwt-secret. Prints only the token. ' +
    "With --demo: lists the demo county's users, one per role, with the worker each signs in as and a token for each (12 h).",
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '8h' },
    demo: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  help: {
    role: `the role claim, one of: ${ROLES.join(', ')} (required without --demo)`,
    sub: 'the subject (user id); default local-ROLE',
    expires: 'lifetime: a number and a unit s, m, h or d',
    demo: "the demo county's users and their tokens (after DEMO=1 npm start has loaded it), as shell exports",
    json: 'with --demo: the users as JSON instead',
  },
  env: {
    JWT_SECRET: 'the HS256 secret; absent = DATA_DIR/jwt-secret',
    'JWT_ISSUER, JWT_AUDIENCE': 'added as iss and aud when set',
    DEMO_DATE: 'with --demo: the county day the users are found on (default 2023-12-20)',
  },
  examples: [
    'TOKEN=$(npm run -s token -- --role admin --sub bureau-1)',
    'eval "$(npm run -s token -- --demo)"   # sets DEMO_VILLAGE_WORKER_TOKEN, DEMO_ADMIN_TOKEN, …',
  ],
} as const;

await runCli('token', async () => {
  const { values } = parseCli(spec);
  const config = loadConfig();
  if (values.demo) {
    const tokens = await demoTokens(config);
    console.log(values.json ? JSON.stringify({ countyDay: tokens.countyDay, items: tokens.users }, null, 2) : formatDemoTokens(tokens).join('\n'));
    return;
  }
  const role = values.role ?? '';
  if (!(ROLES as readonly string[]).includes(role)) throw new CliError(`--role must be one of: ${ROLES.join(', ')} (or --demo)`);
  const match = /^(\d+)([smhd])$/.exec(values.expires);
  if (!match) throw new CliError('--expires is a number and a unit, e.g. 30m, 8h, 7d');
  const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (Number(match[1]) * unitMs > config.JWT_MAX_LIFETIME_SECONDS * 1000) {
    throw new CliError(`--expires is longer than the service accepts (JWT_MAX_LIFETIME_SECONDS=${config.JWT_MAX_LIFETIME_SECONDS})`);
  }
  const token = mintLocalToken(config, { sub: values.sub ?? `local-${role}`, role }, Number(match[1]) * unitMs);
  if (!token) throw new CliError(`no JWT_SECRET set and no ${config.DATA_DIR}/jwt-secret yet: run npm start once, or set JWT_SECRET`);
  console.log(token);
});
