import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config';
import type { DatabaseThread } from '../storage/sql-database';
import type { DemoScale } from './context';
import type { DemoSeedRunner } from './demo-mode';

/** What the main thread hands the load in PGlite's thread (structured-cloned). */
export interface DemoLoadTaskData {
  config: Config;
  /** The county's clock as the service runs it: real time plus this. */
  clockOffsetMs: number;
  scale: DemoScale;
  seed: string | undefined;
}

/** Task → main thread: where the load is. Main thread → task: stop at the next step. */
export type DemoLoadProgress = { kind: 'progress'; chapter: string; done: number; total: number };
export type DemoLoadSignal = { kind: 'stop' };

/** demo-load.thread.ts from the sources (tsx), demo-load.thread.js from dist/. */
const TASK_MODULE = new URL(`./demo-load.thread${extname(fileURLToPath(import.meta.url)) === '.ts' ? '.ts' : '.js'}`, import.meta.url);

/**
 * `DEMO=1` on the embedded store: the demo county's generator runs in PGlite's worker thread,
 * over its own application services there (demo-load.thread.ts), instead of sending each of its
 * statements to that thread and back (40 % of the sample's load, BENCHMARKS.md session 10).
 * The HTTP thread keeps serving through the worker protocol, its statements taking the one
 * connection in turn with the load's; it only hears the progress. The same generator, the same
 * events: only where its statements are issued from changes.
 */
export function demoLoadInDatabaseThread(thread: DatabaseThread, config: Config, clockOffsetMs: number): DemoSeedRunner {
  // The services' modules load there while this thread starts up (seconds of CPU, not spent in the load).
  thread.preload(TASK_MODULE);
  return async (_service, options) => {
    const data: DemoLoadTaskData = { config, clockOffsetMs, scale: options.scale, seed: options.seed };
    const task = thread.run<unknown>(TASK_MODULE, data);
    // What the progress listener threw (the service is stopping): the task is told to stop, and the load ends with it.
    let stoppedWith: { error: unknown } | null = null;
    task.port.on('message', (message: DemoLoadProgress) => {
      if (stoppedWith) return;
      try {
        options.onProgress?.({ chapter: message.chapter, done: message.done, total: message.total });
      } catch (error) {
        stoppedWith = { error };
        task.port.postMessage({ kind: 'stop' } satisfies DemoLoadSignal);
      }
    });
    try {
      const summary = await task.result;
      if (stoppedWith) throw (stoppedWith as { error: unknown }).error;
      return summary;
    } catch (error) {
      throw stoppedWith ? (stoppedWith as { error: unknown }).error : error;
    } finally {
      task.port.close();
    }
  };
}
