import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Role } from '../../src/application/actor';
import { FixedClock } from '../../src/application/clock';
import { compose, type Overrides, type Service } from '../../src/composition-root';
import type { PostgresOptions } from '../../src/storage/postgres-database';
import { loadConfig, type Config } from '../../src/config';
import { silentLogger } from './logger';
import { generateLedgerKeyPem } from '../../src/application/ledger/signing-key';
import { openTestDatabase, type Backend, type TestDatabase } from './test-database';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256!';
/** The event MAC key of test apps (64 hex digits), so no key file is written under ./data. */
export const TEST_MAC_KEY = 'a1'.repeat(32);
/** The person-index key of test apps (never the one a deployment generates). */
export const TEST_PERSON_INDEX_KEY = 'test-person-index-key-long-enough-for-hmac!';
/** One ledger signing key per test process, so tests never write a key file into ./data. */
export const TEST_LEDGER_KEY = generateLedgerKeyPem();

/**
 * No console: a test app answers the same whether or not `npm run web:build` (or the e2e run) left a
 * web/dist in the checkout (the SPA fallback answered an unmatched GET with index.html there).
 * tests/http/console-serving.api.test.ts points CONSOLE_DIR at a build of its own.
 */
const NO_CONSOLE = join(tmpdir(), 'sws-test-app-without-console');

/** The keys and quiet logs every test service starts with: no key file is written under ./data. */
export const TEST_SERVICE_ENV = {
  JWT_SECRET: TEST_SECRET,
  LEDGER_SIGNING_KEY: TEST_LEDGER_KEY,
  PERSON_INDEX_KEY: TEST_PERSON_INDEX_KEY,
  EVENT_MAC_KEY: TEST_MAC_KEY,
  LOG_LEVEL: 'silent',
};

/** Tests fire requests far faster than people do; the rate-limit tests set their own limits. */
export const GENEROUS_RATE_LIMITS = { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_SUB: '1000000', RATE_LIMIT_HEAVY_PER_SUB: '1000000' };

export interface TestApp {
  app: FastifyInstance;
  service: Service;
  database: TestDatabase;
  clock: FixedClock;
  token(role: Role, sub?: string): string;
  close(): Promise<void>;
}

/** The whole service over an isolated test database, with a fixed clock and silent logs. */
export async function startTestApp(
  options: {
    backend?: Backend;
    env?: Record<string, string>;
    beforeReady?: (app: FastifyInstance) => void;
    postgres?: Partial<PostgresOptions>;
    overrides?: Overrides;
    logger?: Logger;
  } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(options.backend, options.postgres);
  const clock = new FixedClock(new Date('2026-03-02T09:00:00.000Z'));
  const config: Config = loadConfig({
    ...TEST_SERVICE_ENV,
    PROJECTION_POLL_MS: '50',
    CONSOLE_DIR: NO_CONSOLE,
    // Tests read their sheets when they choose; a background measurement would race them.
    PERFORMANCE_WARM: '0',
    ...GENEROUS_RATE_LIMITS,
    ...options.env,
  });
  const service = await compose(config, { database, clock, logger: options.logger ?? silentLogger, ...options.overrides });
  options.beforeReady?.(service.app);
  await service.start();
  await service.app.ready();
  return {
    app: service.app,
    service,
    database,
    clock,
    token: (role, sub = `${role}-1`) => service.app.jwt.sign({ sub, role }),
    async close() {
      await service.stop();
      await database.close();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
