// The whole-log verify's MAC thread (issue 20; mac-thread.ts starts it). Plain JavaScript on
// node:crypto alone, so it starts in milliseconds: no TypeScript loader. It knows no label and no
// rule: it computes HMAC-SHA256 under the key it was given over `prefix + item` for what it is
// sent, and compares or XORs them as told.
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const key = Buffer.from(workerData.key);
const tag = (message) => createHmac('sha256', key).update(message).digest();

parentPort.on('message', (job) => {
  try {
    const mismatches = [];
    if (job.tags) {
      const { prefix, items, expected } = job.tags;
      for (let i = 0; i < items.length; i++) if (expected[i] !== tag(prefix + items[i]).toString('hex')) mismatches.push(i);
    }
    let counts = null;
    let acc = null;
    if (job.xor) {
      const { prefix, items, groups, groupCount } = job.xor;
      counts = new Array(groupCount).fill(0);
      acc = new Uint8Array(groupCount * 32);
      for (let i = 0; i < items.length; i++) {
        const group = groups[i];
        counts[group]++;
        const contribution = tag(prefix + items[i]);
        for (let b = 0, at = group * 32; b < 32; b++, at++) acc[at] ^= contribution[b];
      }
    }
    parentPort.postMessage({ id: job.id, mismatches, counts, acc }, acc ? [acc.buffer] : []);
  } catch (error) {
    parentPort.postMessage({ id: job.id, failed: error instanceof Error ? error.message : String(error) });
  }
});
