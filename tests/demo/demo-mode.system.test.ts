import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/application/clock';
import { compose, type Service } from '../../src/composition-root';
import { loadConfig } from '../../src/config';
import type { DemoChapter } from '../../src/demo/context';
import { DEMO_ROLES } from '../../src/demo/demo-users';
import { loadScale } from '../support/load-scale';
import { silentLogger } from '../support/logger';
import { TEST_SERVICE_ENV, bearer } from '../support/test-app';
import { openTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from '../support/wait';
import { runnerWith } from './support/runner';
import { staffChapter } from './support/staff-chapter';

const env = (extra: Record<string, string> = {}) =>
  loadConfig({
    ...TEST_SERVICE_ENV,
    PROJECTION_POLL_MS: '50',
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_SUB: '1000000',
    ...extra,
  });
const DEMO_ENV = { DEMO: '1', DEMO_SCALE: 'tiny', DEMO_SEED: 'demo-mode-test' };
/** The real clock as the tests set it: the county's clock is measured against it. */
const REAL_NOW = '2026-12-01T12:00:00.000Z';

/** A chapter that holds the load until the test lets it go: the "before" state, observed without sleeping. */
function gate(): { chapter: DemoChapter; reached: Promise<void>; release: () => void } {
  let release!: () => void;
  let reach!: () => void;
  const opened = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (reach = r));
  return {
    chapter: {
      name: 'test-gate',
      async run(ctx) {
        ctx.progress('test-gate', 0, 1);
        reach();
        await opened;
        ctx.progress('test-gate', 1, 1);
        return {};
      },
    },
    reached,
    release,
  };
}

/** A tree head signed now over a tree that just grew: one more event, sealed, then the head. */
async function freshHead(service: Service, townCode: string): Promise<{ timestamp: string }> {
  const admin = bearer(service.app.jwt.sign({ sub: 'admin-1', role: 'admin' }));
  // The head before the event, read before it is appended: read after it, it may already be the
  // sealer's own head over the new event (a loaded machine gave the sealer that turn), and
  // nothing would ever grow past it.
  const before = await service.ledger.latestHead({ id: 'admin-1', role: 'admin' }).catch(() => null);
  const town = await service.app.inject({ method: 'POST', url: '/api/v1/towns', headers: admin, payload: { code: townCode, name: '测试镇' } });
  expect(town.statusCode, town.body).toBe(201);
  return eventually(async () => {
    expect(await service.deps.projections.maxLag()).toBe(0);
    // The sealer may have signed the head itself when it took the new event (a head is due by
    // time once the clock moved on): then there is nothing left to seal, and that head is the one.
    const head = (await service.ledger.sealHeadNow()) ?? (await service.ledger.latestHead({ id: 'admin-1', role: 'admin' }));
    expect(head.treeSize).toBeGreaterThan(before?.treeSize ?? 0);
    return head;
  }, 60_000);
}

describe('DEMO=1: the service serves at once and loads the demo county in the background', () => {
  let database: TestDatabase;
  let service: Service;
  const real = new FixedClock(new Date(REAL_NOW));
  const hold = gate();

  beforeAll(async () => {
    database = await openTestDatabase();
    service = await compose(env(DEMO_ENV), { database, logger: silentLogger, realClock: real, demoRunner: runnerWith([hold.chapter], [staffChapter]) });
    await service.start();
    await service.app.ready();
    // As src/main.ts does once it listens: the load runs in the background.
    void service.demo!.start(service);
    await hold.reached;
  }, 120_000);
  afterAll(async () => {
    hold.release();
    await service?.stop();
    await database?.close();
  });

  describe('while the county is loading', () => {
    it('answers /health', async () => {
      const res = await service.app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
    });

    it('answers /ready 503 with the load progress and the county clock', async () => {
      const res = await service.app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body.status).toBe('not_ready');
      expect(body.demo).toEqual({
        date: '2023-12-20T01:00:00.000Z',
        countyDay: '2023-12-20',
        clockOffsetMs: Date.parse('2023-12-20T01:00:00.000Z') - Date.parse(REAL_NOW),
        load: { state: 'loading', scale: 'tiny', seed: 'demo-mode-test', chapter: 'test-gate', done: 0, total: 1 },
      });
    });

    it('has no demo users yet (503, not an empty list)', async () => {
      const res = await service.app.inject({ method: 'GET', url: '/api/v1/demo/users' });
      expect(res.statusCode).toBe(503);
      expect(res.json().type).toBe('/problems/demo-not-loaded');
    });

    it('runs the service on the county clock', () => {
      expect(service.deps.clock.now().toISOString()).toBe('2023-12-20T01:00:00.000Z');
    });
  });

  describe('once the county is loaded', () => {
    beforeAll(async () => {
      hold.release();
      await service.demo!.start(service);
    }, 300_000 * loadScale());

    it('answers /ready 200 and says the county is loaded', async () => {
      expect(service.demo!.status().load.state).toBe('loaded');
      // The projections may still be catching up with the last chapter.
      const body = await eventually(async () => {
        const res = await service.app.inject({ method: 'GET', url: '/ready' });
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      }, 60_000);
      expect(body.demo.load).toMatchObject({ state: 'loaded', scale: 'tiny', seed: 'demo-mode-test' });
      expect(body.demo.load.loadedAt).toBe(REAL_NOW);
    }, 90_000);

    it('lists one demo user per role, each with a token the service accepts for that subject and role', async () => {
      const res = await service.app.inject({ method: 'GET', url: '/api/v1/demo/users' });
      expect(res.statusCode).toBe(200);
      const { items, countyDay } = res.json<{
        countyDay: string;
        items: { role: string; sub: string; token: string; person: { id: string } | null; area: { townId: string | null } }[];
      }>();
      expect(countyDay).toBe('2023-12-20');
      expect(items.map((u) => u.role)).toEqual([...DEMO_ROLES]);
      for (const user of items) {
        expect(service.app.jwt.verify(user.token)).toMatchObject({ sub: user.sub, role: user.role });
        if (user.person) expect(user.sub).toBe(user.person.id);
      }
      // A worker's token resolves to the worker's own area: the village worker sees their town only.
      const villageWorker = items.find((u) => u.role === 'village_worker')!;
      const towns = await service.app.inject({ method: 'GET', url: '/api/v1/towns', headers: bearer(villageWorker.token) });
      expect(towns.statusCode).toBe(200);
      expect(towns.json().items.map((t: { id: string }) => t.id)).toEqual([villageWorker.area.townId]);
    });

    it('finds the same users every time', async () => {
      const subs = async () => ((await service.app.inject({ method: 'GET', url: '/api/v1/demo/users' })).json().items as { sub: string }[]).map((u) => u.sub);
      expect(await subs()).toEqual(await subs());
    });

    it('stamps ledger tree heads on the county clock, while tokens live on the real one', async () => {
      const head = await freshHead(service, '530626990');
      expect(head.timestamp).toBe('2023-12-20T01:00:00.000Z');
    });
  });
});

describe('DEMO=1 on a data dir that already holds the demo county', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
    const real = new FixedClock(new Date(REAL_NOW));
    const first = await compose(env(DEMO_ENV), { database, logger: silentLogger, realClock: real, demoRunner: runnerWith([], []) });
    await first.start();
    await first.demo!.start(first);
    expect(first.demo!.status().load.state).toBe('loaded');
    // Two hours of demo later a tree head is signed; then the service stops.
    real.advance(2 * 3_600_000);
    expect((await freshHead(first, '530626991')).timestamp).toBe('2023-12-20T03:00:00.000Z');
    await first.stop();
  }, 300_000 * loadScale());
  afterAll(async () => database?.close());

  it('does not load again, and its clock resumes from the last signed head instead of 09:00', async () => {
    let calls = 0;
    const again = await compose(env(DEMO_ENV), {
      database,
      logger: silentLogger,
      realClock: new FixedClock(new Date(REAL_NOW)),
      demoRunner: async () => {
        calls++;
        return {};
      },
    });
    try {
      await again.start();
      await again.demo!.start(again);
      expect(calls).toBe(0);
      expect(again.demo!.status().load.state).toBe('loaded');
      expect(again.deps.clock.now().toISOString()).toBe('2023-12-20T03:00:00.000Z');
    } finally {
      await again.stop();
    }
  });
});

describe('DEMO=1 on a database someone else filled', () => {
  it(
    'adopts a county that npm run seed:demo loaded (at another scale), completing it without loading another',
    async () => {
      const database = await openTestDatabase();
      try {
        // As `npm run seed:demo -- --scale tiny` does: the generator over a service not in demo mode.
        const seeder = await compose(env(), { database, logger: silentLogger });
        await seeder.start();
        await runnerWith([], [])(seeder, { scale: 'tiny', seed: 'demo-mode-test' });
        await seeder.stop();

        const scales: string[] = [];
        const real = runnerWith([], []);
        const service = await compose(env({ ...DEMO_ENV, DEMO_SCALE: 'sample' }), {
          database,
          logger: silentLogger,
          demoRunner: (s, options) => {
            scales.push(options.scale);
            return real(s, options);
          },
        });
        try {
          await service.start();
          await service.demo!.start(service);
          expect(scales).toEqual(['tiny']);
          expect(service.demo!.status().load).toMatchObject({ state: 'loaded', scale: 'tiny', seed: 'demo-mode-test' });
        } finally {
          await service.stop();
        }
      } finally {
        await database.close();
      }
    },
    300_000 * loadScale(),
  );

  it('loads nothing into a database that holds other data, and says so in /ready', async () => {
    const database = await openTestDatabase();
    try {
      const bureau = await compose(env(), { database, logger: silentLogger });
      await bureau.start();
      const admin = bearer(bureau.app.jwt.sign({ sub: 'admin-1', role: 'admin' }));
      const town = await bureau.app.inject({ method: 'POST', url: '/api/v1/towns', headers: admin, payload: { code: '530626100', name: '中城镇' } });
      expect(town.statusCode).toBe(201);
      await bureau.stop();

      const service = await compose(env(DEMO_ENV), { database, logger: silentLogger, demoRunner: async () => expect.fail('nothing is loaded into real data') });
      try {
        await service.start();
        await service.demo!.start(service);
        const ready = await service.app.inject({ method: 'GET', url: '/ready' });
        expect(ready.statusCode).toBe(503);
        expect(ready.json().demo.load.state).toBe('failed');
        expect(ready.json().demo.load.error).toContain('不是演示县');
      } finally {
        await service.stop();
      }
    } finally {
      await database.close();
    }
  }, 120_000);
});

describe('DEMO=1 when the load fails', () => {
  it('keeps serving, and /ready and the log say the load failed', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const database = await openTestDatabase();
    const service = await compose(env(DEMO_ENV), {
      database,
      logger,
      demoRunner: async (_service, options) => {
        options.onProgress?.({ chapter: 'households', done: 3, total: 10 });
        throw new Error('a chapter broke');
      },
    });
    try {
      await service.start();
      await service.demo!.start(service);
      expect((await service.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const ready = await service.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().demo.load).toMatchObject({ state: 'failed', chapter: 'households' });
      expect(ready.json().demo.load.error).toContain('households');
      expect(lines.some((l) => l.includes('demo county load failed') && l.includes('a chapter broke'))).toBe(true);
    } finally {
      await service.stop();
      await database.close();
    }
  }, 120_000);
});

describe('outside demo mode', () => {
  let database: TestDatabase;
  let service: Service;
  const real = new FixedClock(new Date(REAL_NOW));

  beforeAll(async () => {
    database = await openTestDatabase();
    service = await compose(env(), { database, logger: silentLogger, realClock: real, demoRunner: async () => expect.fail('no demo load outside demo mode') });
    await service.start();
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await database?.close();
  });

  it('runs on the real clock', () => {
    expect(service.demo).toBeNull();
    expect(service.deps.clock.now().toISOString()).toBe(REAL_NOW);
  });

  it.each([
    ['without a token', false],
    ['with an admin token', true],
  ])('has no demo users: 404 problem %s', async (_how, withToken) => {
    const res = await service.app.inject({
      method: 'GET',
      url: '/api/v1/demo/users',
      headers: withToken ? bearer(service.app.jwt.sign({ sub: 'admin-1', role: 'admin' })) : {},
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().type).toBe('/problems/not-found');
  });

  it('says nothing about a demo in /ready', async () => {
    const res = await service.app.inject({ method: 'GET', url: '/ready' });
    expect(res.json()).not.toHaveProperty('demo');
  });
});
