/**
 * The HTTP loader on a thread of its own, as the county's front ends are processes of their own:
 * in the service's thread the client's fetch calls took about a fifth of the CPU the service
 * needs (county scale, BENCHMARKS.md), so the service's figures paid for its clients.
 *
 * The thread sends the requests; what only the service's side can do (sign tokens, set the
 * service's clock to the county day, count the events a chapter appended) it asks for by message
 * and waits for the answer.
 */
import { Worker } from 'node:worker_threads';
import type { Role } from '../../src/application/actor';
import type { HttpChapter, HttpLoadOptions } from './county-over-http';

export interface LoaderThreadInput {
  baseUrl: string;
  inflight: number;
  scale: HttpLoadOptions['scale'];
  seed: string;
  writes: NonNullable<HttpLoadOptions['writes']>;
  until?: HttpChapter;
}

/** What the thread asks the service's side. */
export type LoaderRequest =
  | { id: number; kind: 'sign'; sub: string; role: Role }
  | { id: number; kind: 'today'; day: string }
  | { id: number; kind: 'chapter'; chapter: HttpChapter; requests: number; ms: number };
/** How the thread's run ends. */
export type LoaderEnd = { kind: 'done' } | { kind: 'failed'; message: string };

const THREAD_MODULE = new URL('./loader-thread.worker.mjs', import.meta.url);

export function runLoaderThread(input: LoaderThreadInput, side: Pick<HttpLoadOptions, 'sign' | 'setToday' | 'afterChapter'>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(THREAD_MODULE, { workerData: input });
    const answer = async (message: LoaderRequest) => {
      switch (message.kind) {
        case 'sign':
          return side.sign(message.sub, message.role);
        case 'today':
          return side.setToday(message.day);
        case 'chapter':
          return side.afterChapter?.(message.chapter, message.requests, message.ms);
      }
    };
    worker.on('message', (message: LoaderRequest | LoaderEnd) => {
      if (message.kind === 'done') {
        void worker.terminate().then(() => resolve());
      } else if (message.kind === 'failed') {
        void worker.terminate().then(() => reject(new Error(message.message)));
      } else {
        answer(message).then(
          (value) => worker.postMessage({ id: message.id, value }),
          (error: unknown) => worker.postMessage({ id: message.id, error: String(error) }),
        );
      }
    });
    worker.on('error', reject);
  });
}
