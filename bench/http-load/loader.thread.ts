/** The loader thread's body (see loader-thread.ts): the chapters over HTTP, asking the service's side by message. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCountyOverHttp } from './county-over-http';
import { HttpLoadClient } from './http-client';
import type { LoaderEnd, LoaderRequest, LoaderThreadInput } from './loader-thread';

type Question = LoaderRequest extends infer Q ? (Q extends LoaderRequest ? Omit<Q, 'id'> : never) : never;

const port = parentPort!;
const input = workerData as LoaderThreadInput;
const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let next = 0;
port.on('message', (message: { id: number; value?: unknown; error?: string }) => {
  const pending = waiting.get(message.id);
  waiting.delete(message.id);
  if (message.error !== undefined) pending?.reject(new Error(message.error));
  else pending?.resolve(message.value);
});
const ask = <T>(question: Question) =>
  new Promise<T>((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve: (value) => resolve(value as T), reject });
    port.postMessage({ ...question, id });
  });

const end = (message: LoaderEnd) => port.postMessage(message);
loadCountyOverHttp({
  client: new HttpLoadClient(input.baseUrl, input.inflight),
  scale: input.scale,
  seed: input.seed,
  writes: input.writes,
  ...(input.until ? { until: input.until } : {}),
  sign: (sub, role) => ask<string>({ kind: 'sign', sub, role }),
  setToday: (day) => ask<void>({ kind: 'today', day }),
  afterChapter: (chapter, requests, ms) => ask<void>({ kind: 'chapter', chapter, requests, ms }),
  log: (line) => void process.stderr.write(`${line}\n`),
}).then(
  () => end({ kind: 'done' }),
  (error: unknown) => end({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
