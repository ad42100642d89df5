import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { EventMac, headMacSubject, MAC_LABELS, MAC_SHARDS, macShard } from '../../src/storage/event-mac';
import { MacThread } from '../../src/storage/mac-thread';

const mac = new EventMac(Buffer.from('3c'.repeat(32), 'hex'));
const hashOf = (i: number) => createHash('sha256').update(String(i)).digest('hex');

/**
 * The whole-log verify computes its MACs on a thread of its own (issue 20): that thread must give
 * exactly the answers EventMac gives on this one, for whatever the rows hold (a forged hash of
 * another length, non-ASCII, a missing tag).
 */
describe('the MAC thread', () => {
  const thread = new MacThread(mac);
  afterAll(() => thread.close());

  it('finds exactly the events whose MAC EventMac rejects, and folds the same accumulators', async () => {
    const hashes = [...Array.from({ length: 300 }, (_, i) => hashOf(i)), 'short', 'é—低保', ''];
    const stored = hashes.map((h, i) => (i % 7 === 3 ? 'f'.repeat(64) : i % 11 === 5 ? mac.event(hashOf(i + 1)) : mac.event(h)));
    const streams = hashes.map((_, i) => (i % 5 === 0 ? `visit-é${i}` : `visit-${i % 40}`));
    const shards = Uint8Array.from(streams.map((s) => macShard(s, MAC_SHARDS)));
    const result = await thread.run({
      tags: { prefix: MAC_LABELS.event, items: hashes, expected: stored },
      xor: { prefix: MAC_LABELS.acc, items: hashes, groups: shards, groupCount: MAC_SHARDS },
    });
    expect(result.mismatches).toEqual(hashes.flatMap((h, i) => (stored[i] !== mac.event(h) ? [i] : [])));
    expect(result.mismatches.length).toBeGreaterThan(40);
    const counts = new Array<number>(MAC_SHARDS).fill(0);
    const acc = new Uint8Array(MAC_SHARDS * 32);
    hashes.forEach((h, i) => {
      counts[shards[i]!]!++;
      const contribution = mac.accumulateRaw(h);
      for (let b = 0; b < 32; b++) acc[shards[i]! * 32 + b]! ^= contribution[b]!;
    });
    expect(result.counts).toEqual(counts);
    expect(Buffer.from(result.acc!).toString('hex')).toBe(Buffer.from(acc).toString('hex'));
  });

  it('checks head MACs as EventMac.head does, a missing one included', async () => {
    const heads = [
      { streamId: 'case-1', version: 3, lastHash: hashOf(1) },
      { streamId: 'case-"引号"', version: 12, lastHash: hashOf(2) },
      { streamId: 'case-3', version: 1, lastHash: hashOf(3) },
    ];
    const expected = [mac.head('case-1', 3, hashOf(1)), mac.head('case-"引号"', 12, hashOf(2)), mac.head('case-3', 2, hashOf(3))];
    const result = await thread.run({
      tags: {
        prefix: MAC_LABELS.head,
        items: heads.map((h) => headMacSubject(h.streamId, h.version, h.lastHash)),
        expected: [...expected.slice(0, 2), null as unknown as string],
      },
    });
    expect(result.mismatches).toEqual([2]);
    const again = await thread.run({ tags: { prefix: MAC_LABELS.head, items: heads.map((h) => headMacSubject(h.streamId, h.version, h.lastHash)), expected } });
    expect(again.mismatches).toEqual([2]);
  });

  it('gives the tags of EventMac under keys of every length the service accepts, longer than a SHA-256 block included', async () => {
    const hashes = [hashOf(1), hashOf(2), 'é—低保', ''];
    for (const length of [32, 63, 64, 65, 100]) {
      const other = new EventMac(Buffer.alloc(length, length));
      const longer = new MacThread(other);
      try {
        const stored = hashes.map((h, i) => (i === 1 ? mac.event(h) : other.event(h)));
        const result = await longer.run({ tags: { prefix: MAC_LABELS.event, items: hashes, expected: stored } });
        expect(result.mismatches).toEqual([1]);
      } finally {
        await longer.close();
      }
    }
  });

  it('shards a stream by the FNV-1a of its UTF-8 bytes, ASCII or not', () => {
    const reference = (id: string) => {
      let h = 0x811c9dc5;
      for (const byte of Buffer.from(id)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
      return h % MAC_SHARDS;
    };
    for (const id of ['', 'visit-1', 'case-低保-2', 'household-é', '\u007f\u0080', 'x'.repeat(300)]) expect(macShard(id, MAC_SHARDS)).toBe(reference(id));
  });

  it('rejects work once closed', async () => {
    const closed = new MacThread(mac);
    await closed.close();
    await expect(closed.run({ tags: { prefix: MAC_LABELS.event, items: ['a'], expected: ['b'] } })).rejects.toThrow('closed');
  });
});
