import type { MessagePort } from 'node:worker_threads';
import { OffsetClock, systemClock } from '../application/clock';
import { compose } from '../composition-root';
import { createLogger } from '../logger';
import { localPGliteDatabase, type LocalPGlite } from '../storage/pglite-database';
import type { DemoLoadProgress, DemoLoadSignal, DemoLoadTaskData } from './demo-load-thread';
import { runDemoSeed, type DemoSummary } from './seed';

/**
 * How often the load's appends wake the HTTP thread's ledger sealer (otherwise it polls, every
 * PROJECTION_POLL_MS): its batches are that thread's statements, each a message each way while the
 * load waits for the connection (on a loaded machine, a wait for that thread's turn per statement).
 * Every few seconds, as `npm run seed:demo` seals (SEAL_EVERY_MS), rather than every quarter second.
 */
const NOTIFY_AFTER_MS = 5000;

/** Progress is sent at most this often (and at every new chapter and chapter end): one message per command was noise. */
const PROGRESS_EVERY_MS = 100;

/**
 * The demo county's load in PGlite's worker thread (started by demo-load-thread.ts through
 * pglite-thread.worker.mjs): the application services composed over this thread's PGlite, the
 * generator run over them as `npm run seed:demo` runs it. Nothing is served from here: the
 * service is not started (its projections and ledger run in the HTTP thread), and it is stopped
 * when the load ends. The data-dir lock stays with the main thread, which opened PGlite.
 */
export async function runInDatabaseThread(local: LocalPGlite, data: DemoLoadTaskData, port: MessagePort): Promise<DemoSummary> {
  let stopping = false;
  port.on('message', (signal: DemoLoadSignal) => {
    if (signal.kind === 'stop') stopping = true;
  });
  const database = localPGliteDatabase(local);
  try {
    const config = {
      ...data.config,
      // The HTTP thread's service is the demo one (clock, users, load record); this one only runs commands.
      DEMO: false,
      OTEL_TRACING: false,
      // Errors only: the HTTP thread has logged the start-up and its warnings already (a failed load is its to report).
      LOG_LEVEL: ['fatal', 'silent'].includes(data.config.LOG_LEVEL) ? data.config.LOG_LEVEL : 'error',
      EVENTS_NOTIFY_AFTER_MS: data.config.EVENTS_NOTIFY_AFTER_MS ?? NOTIFY_AFTER_MS,
    };
    const service = await compose(config, {
      database,
      clock: new OffsetClock(systemClock, data.clockOffsetMs),
      logger: createLogger(config.LOG_LEVEL).child({ component: 'demo-load' }),
    });
    let sent = { chapter: '', at: 0 };
    try {
      return await runDemoSeed(service, {
        scale: data.scale,
        ...(data.seed !== undefined ? { seed: data.seed } : {}),
        onProgress: ({ chapter, done, total }) => {
          if (stopping) throw new Error('the service is stopping');
          const now = performance.now();
          if (chapter === sent.chapter && done < total && now - sent.at < PROGRESS_EVERY_MS) return;
          sent = { chapter, at: now };
          port.postMessage({ kind: 'progress', chapter, done, total } satisfies DemoLoadProgress);
        },
      });
    } finally {
      await service.stop();
    }
  } finally {
    await database.close();
  }
}
