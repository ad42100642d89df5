import { describe, expect, it } from 'vitest';
import { HeadCache } from '../../src/storage/head-cache';

describe('stream head cache', () => {
  it('answers the last head remembered for a stream and forgets on request', () => {
    const cache = new HeadCache(10);
    cache.remember('s', 1, 'h1');
    cache.remember('s', 2, 'h2');
    expect(cache.get('s')).toEqual({ version: 2, hash: 'h2', recordedAt: null });
    cache.forget('s');
    expect(cache.get('s')).toBeUndefined();
  });

  it('drops the least recently written stream when full', () => {
    const cache = new HeadCache(2);
    cache.remember('a', 1, 'ha');
    cache.remember('b', 1, 'hb');
    cache.remember('a', 2, 'ha2'); // a is now the most recent
    cache.remember('c', 1, 'hc');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ version: 2, hash: 'ha2', recordedAt: null });
    expect(cache.get('c')).toEqual({ version: 1, hash: 'hc', recordedAt: null });
  });
});
