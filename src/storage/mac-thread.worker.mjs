// The whole-log verify's MAC thread (issue 20; mac-thread.ts starts it). Plain JavaScript on
// node:crypto alone, so it starts in milliseconds: no TypeScript loader. It knows no label and no
// rule: it computes HMAC-SHA256 under the key it was given over `prefix + item` for what it is
// sent (items packed as UTF-8 bytes, see mac-thread.ts), and compares or XORs them as told.
import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

// HMAC (RFC 2104) from two one-shot SHA-256s over buffers kept with the padded key in front: no
// Hmac object and no string per tag (a county verify computes half a million of them).
const raw = Buffer.from(workerData.key);
const key = raw.length > 64 ? hash('sha256', raw, 'buffer') : raw;
let inner = Buffer.alloc(64 + 1024);
const outer = Buffer.alloc(64 + 32);
for (let i = 0; i < 64; i++) {
  inner[i] = (key[i] ?? 0) ^ 0x36;
  outer[i] = (key[i] ?? 0) ^ 0x5c;
}

/** HMAC-SHA256(key, prefix ‖ bytes[start, start + length)). */
function tag(prefix, bytes, start, length) {
  const n = 64 + prefix.length + length;
  if (n > inner.length) {
    const grown = Buffer.alloc(n * 2);
    inner.copy(grown, 0, 0, 64);
    inner = grown;
  }
  inner.set(prefix, 64);
  inner.set(bytes.subarray(start, start + length), 64 + prefix.length);
  outer.set(hash('sha256', inner.subarray(0, n), 'buffer'), 64);
  return hash('sha256', outer, 'buffer');
}

const HEX = Buffer.from('0123456789abcdef', 'latin1');

/** Whether the expected tag (UTF-8 bytes, length -1: none) is the tag written in lowercase hex. */
function sameHex(digest, expected, start, length) {
  if (length !== 64) return false;
  for (let b = 0, at = start; b < 32; b++, at += 2) {
    if (expected[at] !== HEX[digest[b] >> 4] || expected[at + 1] !== HEX[digest[b] & 15]) return false;
  }
  return true;
}

parentPort.on('message', (job) => {
  try {
    const mismatches = [];
    if (job.tags) {
      const { prefix, items, expected } = job.tags;
      const p = Buffer.from(prefix, 'utf8');
      for (let i = 0; i < items.lengths.length; i++) {
        const digest = tag(p, items.bytes, items.starts[i], items.lengths[i]);
        if (!sameHex(digest, expected.bytes, expected.starts[i], expected.lengths[i])) mismatches.push(i);
      }
    }
    let counts = null;
    let acc = null;
    if (job.xor) {
      const { prefix, items, groups, groupCount } = job.xor;
      const p = Buffer.from(prefix, 'utf8');
      counts = new Array(groupCount).fill(0);
      acc = new Uint8Array(groupCount * 32);
      for (let i = 0; i < items.lengths.length; i++) {
        const group = groups[i];
        counts[group]++;
        const contribution = tag(p, items.bytes, items.starts[i], items.lengths[i]);
        for (let b = 0, at = group * 32; b < 32; b++, at++) acc[at] ^= contribution[b];
      }
    }
    parentPort.postMessage({ id: job.id, mismatches, counts, acc }, acc ? [acc.buffer] : []);
  } catch (error) {
    parentPort.postMessage({ id: job.id, failed: error instanceof Error ? error.message : String(error) });
  }
});
