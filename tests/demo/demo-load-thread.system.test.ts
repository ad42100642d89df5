import { afterAll, describe, expect, it } from 'vitest';
import { compose, type Service } from '../../src/composition-root';
import { loadConfig } from '../../src/config';
import { demoEventDigest, logEventIds } from '../../src/demo/event-digest';
import type { DemoStatus } from '../../src/demo/demo-mode';
import { runDemoSeed } from '../../src/demo/seed';
import type { SqlDatabase } from '../../src/storage/sql-database';
import { loadScale } from '../support/load-scale';
import { silentLogger } from '../support/logger';
import { TEST_SERVICE_ENV, bearer, startTestApp } from '../support/test-app';
import { openTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from '../support/wait';

/**
 * `DEMO=1` on the embedded store runs the demo county's generator in PGlite's worker thread
 * (src/demo/demo-load.thread.ts): its statements are calls there, not messages from the HTTP
 * thread, while the HTTP thread keeps serving, its own statements taking the connection in turn
 * with the load's. The county is the one `npm run seed:demo`'s generator loads on this thread.
 */
const SLOW = 300_000 * loadScale();
const SEED = 'demo-thread-test';

const demoConfig = () =>
  loadConfig({
    ...TEST_SERVICE_ENV,
    PERFORMANCE_WARM: '0',
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_SUB: '1000000',
    DEMO: '1',
    DEMO_SCALE: 'tiny',
    DEMO_SEED: SEED,
  });

/** The database as the HTTP thread uses it, counting every statement that thread sends. */
function counting(database: TestDatabase): { database: SqlDatabase; statements: () => number } {
  let statements = 0;
  const db = database.db.withPlugin({
    transformQuery: ({ node }) => {
      statements++;
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  return {
    database: {
      ...database,
      db,
      prepared: (name, text, params) => {
        statements++;
        return database.prepared(name, text, params);
      },
    },
    statements: () => statements,
  };
}

/** Resolves at the first progress step of the load: it is under way in the worker thread. */
const firstStep = (service: Service) =>
  new Promise<DemoStatus>((resolve) => service.demo!.onProgress((status) => status.load.chapter && status.load.state === 'loading' && resolve(status)));

describe('DEMO=1 on PGlite in its worker thread', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const o of opened.reverse()) await o.close();
  });

  it(
    'loads the county in the worker thread (its statements never cross to the HTTP thread), serves during the load, and loads the generator’s events',
    async () => {
      const database = await openTestDatabase('pglite');
      opened.push(database);
      expect(database.thread).toBeDefined();
      const counted = counting(database);
      // Not started: no projection polls from this thread while the load runs, so what it sends is the demo mode's and the requests'.
      const service = await compose(demoConfig(), { database: counted.database, logger: silentLogger });
      opened.push({ close: () => service.stop() });
      const before = await logEventIds(service.deps.store);
      const statementsBefore = counted.statements();

      const underWay = firstStep(service);
      const loading = service.demo!.start(service);
      await underWay;
      const health = await service.app.inject({ method: 'GET', url: '/health' });
      const admin = bearer(service.app.jwt.sign({ sub: 'admin-1', role: 'admin' }));
      const towns = await service.app.inject({ method: 'GET', url: '/api/v1/towns', headers: admin });
      const answeredDuringTheLoad = service.demo!.status().load.state === 'loading';
      await loading;
      const statementsDuringTheLoad = counted.statements() - statementsBefore;

      expect(service.demo!.status().load).toMatchObject({ state: 'loaded', scale: 'tiny', seed: SEED });
      expect(health.statusCode).toBe(200);
      expect(towns.statusCode, towns.body).toBe(200);
      expect(answeredDuringTheLoad).toBe(true);
      const loaded = await demoEventDigest(service.deps.store, before);
      expect(loaded.events).toBeGreaterThan(500);
      // The demo mode's own record and the two requests: a handful, where the load is one statement or more per event.
      expect(statementsDuringTheLoad).toBeLessThan(50);

      // The HTTP thread's projections catch up with what the worker thread appended, and the service is ready.
      await service.start();
      await eventually(async () => {
        const ready = await service.app.inject({ method: 'GET', url: '/ready' });
        expect(ready.statusCode, ready.body).toBe(200);
      }, 120_000);

      // The generator on this thread (as `npm run seed:demo` runs it) loads the same county.
      const here = await startTestApp({ backend: 'pglite' });
      opened.push(here);
      const hereBefore = await logEventIds(here.service.deps.store);
      await runDemoSeed(here.service, { scale: 'tiny', seed: SEED });
      expect(await demoEventDigest(here.service.deps.store, hereBefore)).toEqual(loaded);
    },
    SLOW,
  );

  it(
    'stops with the service during the load, and leaves the database to the HTTP thread',
    async () => {
      const database = await openTestDatabase('pglite');
      opened.push(database);
      const service = await compose(demoConfig(), { database, logger: silentLogger });
      await service.start();
      const underWay = firstStep(service);
      void service.demo!.start(service);
      await underWay;
      await service.stop();
      const load = service.demo!.status().load;
      expect(load.state).toBe('failed');
      expect(load.error).toContain('服务停止');
      // The load's thread let go of the one connection: this thread's statements still run.
      expect(await database.prepared<{ n: number }>('one', 'select 1 as n', [])).toEqual([{ n: 1 }]);
    },
    SLOW,
  );
});
