import { ROLES } from '../application/actor';
import { loadConfig } from '../config';
import { CliError, parseCli, runCli } from './cli-kit';
import { mintLocalToken } from './mint-token';

const spec = {
  command: 'npm run -s token --',
  summary: 'Mints an HS256 token for local use, signed with JWT_SECRET or the secret npm start generated in DATA_DIR/jwt-secret. Prints only the token.',
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
  help: {
    role: `the role claim, one of: ${ROLES.join(', ')} (required)`,
    sub: 'the subject (user id); default local-ROLE',
    expires: 'lifetime: a number and a unit s, m, h or d',
  },
  env: {
    JWT_SECRET: 'the HS256 secret; absent = DATA_DIR/jwt-secret',
    'JWT_ISSUER, JWT_AUDIENCE': 'added as iss and aud when set',
  },
  examples: ['TOKEN=$(npm run -s token -- --role admin --sub bureau-1)'],
} as const;

await runCli('token', async () => {
  const { values } = parseCli(spec);
  const role = values.role ?? '';
  if (!(ROLES as readonly string[]).includes(role)) throw new CliError(`--role must be one of: ${ROLES.join(', ')}`);
  const match = /^(\d+)([smhd])$/.exec(values.expires!);
  if (!match) throw new CliError('--expires is a number and a unit, e.g. 30m, 8h, 7d');
  const config = loadConfig();
  const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (Number(match[1]) * unitMs > config.JWT_MAX_LIFETIME_SECONDS * 1000) {
    throw new CliError(`--expires is longer than the service accepts (JWT_MAX_LIFETIME_SECONDS=${config.JWT_MAX_LIFETIME_SECONDS})`);
  }
  const token = mintLocalToken(config, { sub: values.sub ?? `local-${role}`, role }, Number(match[1]) * unitMs);
  if (!token) throw new CliError(`no JWT_SECRET set and no ${config.DATA_DIR}/jwt-secret yet: run npm start once, or set JWT_SECRET`);
  console.log(token);
});
