import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../src/config';

/**
 * The service as the bench scripts run it against the demo county: demo mode (the county's clock),
 * warn logs, a random JWT secret unless one is set, and rate limits no load generator reaches.
 */
export function demoBenchConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig({
    ...env,
    DEMO: '1',
    LOG_LEVEL: 'warn',
    JWT_SECRET: env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    RATE_LIMIT_PER_IP: '100000000',
    RATE_LIMIT_PER_SUB: '100000000',
    RATE_LIMIT_HEAVY_PER_SUB: '100000000',
  });
}
