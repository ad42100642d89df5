import pg from 'pg';
import { parentPort, workerData } from 'node:worker_threads';
import { EventMac } from './event-mac';
import { hashPage, readPassPage, type HashedPage, type LogPosition, type PassRow } from './log-hasher';

/** What the verify's main thread gives each worker thread (log-verify-pool.ts). */
export interface VerifyThreadData {
  connectionString: string;
  schema: string;
  /** The event MAC key (null: MACs not checked). Stays in the process: workers share its memory. */
  macKey: Uint8Array | null;
}

/** One range of the log: after `after`, up to and including `until` (null: to the end of the log, gap-safe first). */
export interface VerifyTask {
  id: number;
  after: LogPosition;
  until: LogPosition | null;
  pageSize: number;
  withLeaves: boolean;
}

export type VerifyThreadMessage =
  { kind: 'ready' } | { kind: 'page'; id: number; page: HashedPage; done: boolean } | { kind: 'failed'; id: number | null; message: string; code?: string };

/**
 * A verify worker thread (issue 20): reads its ranges of the log on its own connection, does the
 * per-event work (parse, canonical JSON, SHA-256, MACs, Merkle leaves) and sends back only the
 * compact page the main thread needs to check the links in order and build the tree.
 */
async function main(): Promise<void> {
  const port = parentPort!;
  const data = workerData as VerifyThreadData;
  const mac = data.macKey ? new EventMac(Buffer.from(data.macKey)) : null;
  const client = new pg.Client({
    connectionString: data.connectionString,
    application_name: 'social-work-stations verify',
    options: data.schema === 'public' ? undefined : `-c search_path=${data.schema}`,
  });
  const post = (message: VerifyThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  await client.connect();
  client.on('error', (error) => post({ kind: 'failed', id: null, message: error.message }));

  const read = async (options: Parameters<typeof readPassPage>[1], params: string[], withLeaves: boolean) =>
    hashPage(await readPassPage(async (text) => (await client.query<PassRow>(text, params)).rows, options), mac, withLeaves);
  const run = async (task: VerifyTask) => {
    let after = task.after;
    // An open range reads below the gap-safe bound first, then whatever is committed past it: the
    // verify's rule for the end of the log (log-verifier.ts).
    let bounded = task.until === null;
    for (;;) {
      const until = task.until ? [task.until.transactionId, task.until.globalPosition] : [];
      const page = await read(
        { macs: mac !== null, bounded, until: task.until !== null, limit: task.pageSize },
        [after.transactionId, after.globalPosition, ...until],
        task.withLeaves,
      );
      let more = page.streamIds.length >= task.pageSize;
      if (!more && bounded) {
        bounded = false;
        more = true;
      }
      if (page.last) after = page.last;
      const transfer = [page.shardAcc?.buffer, page.leaves?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      post({ kind: 'page', id: task.id, page, done: !more }, transfer);
      if (!more) return;
    }
  };
  // Tasks one at a time, in the order sent: the main thread keeps this worker's queue short.
  let queue = Promise.resolve();
  port.on('message', (message: VerifyTask | { kind: 'close' }) => {
    if ('kind' in message) {
      queue = queue.then(() => client.end()).then(() => port.close());
      return;
    }
    queue = queue.then(() =>
      run(message).catch((error: unknown) => {
        const e = error as { message?: string; code?: string };
        post({ kind: 'failed', id: message.id, message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) });
      }),
    );
  });
  post({ kind: 'ready' });
}

main().catch((error: unknown) => parentPort?.postMessage({ kind: 'failed', id: null, message: (error as Error).message ?? String(error) }));
