import { createSigner } from 'fast-jwt';
import { parseArgs } from 'node:util';
import { ROLES } from '../application/actor';
import { loadConfig } from '../config';
import { readLocalSecret } from './local-secret';

/** Mints an HS256 token for local use: npm run token -- --role admin [--sub ID] [--expires 8h]. */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
});

const role = values.role ?? '';
if (!(ROLES as readonly string[]).includes(role)) {
  console.error(`--role must be one of: ${ROLES.join(', ')}`);
  process.exit(2);
}
const config = loadConfig();
const secret = config.JWT_SECRET ?? readLocalSecret(config.DATA_DIR);
if (!secret) {
  console.error(`no JWT_SECRET set and no ${config.DATA_DIR}/jwt-secret yet: run npm start once, or set JWT_SECRET`);
  process.exit(2);
}
const match = /^(\d+)([smhd])$/.exec(values.expires!);
if (!match) {
  console.error('--expires is a number and a unit, e.g. 30m, 8h, 7d');
  process.exit(2);
}
const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
if (Number(match[1]) * unitMs > config.JWT_MAX_LIFETIME_SECONDS * 1000) {
  console.error(`--expires is longer than the service accepts (JWT_MAX_LIFETIME_SECONDS=${config.JWT_MAX_LIFETIME_SECONDS})`);
  process.exit(2);
}
const sign = createSigner({
  key: secret,
  algorithm: 'HS256',
  expiresIn: Number(match[1]) * unitMs,
  ...(config.JWT_ISSUER ? { iss: config.JWT_ISSUER } : {}),
  ...(config.JWT_AUDIENCE ? { aud: config.JWT_AUDIENCE } : {}),
});
console.log(sign({ sub: values.sub ?? `local-${role}`, role }));
