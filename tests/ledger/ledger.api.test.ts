import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/application/ledger/merkle';
import { verifyTreeHead, type TreeHead } from '../../src/application/ledger/tree-head';
import { newEvent } from '../support/events';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';
import { eventually } from '../support/wait';

const backends = await availableBackends();
const hex = (s: string) => Buffer.from(s, 'hex');

describe.each(backends)('the ledger for auditors on %s', (backend) => {
  let t: TestApp;
  const auditor = () => bearer(t.token('auditor'));
  const get = (url: string, headers = auditor()) => t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    // A head every 5 events: the background sealer signs them on its own.
    t = await startTestApp({ backend, env: { LEDGER_HEAD_EVERY_EVENTS: '5' } });
  });
  afterAll(async () => t?.close());

  async function appendAndWait(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const e = newEvent('LedgerApiRecorded', { i });
      ids.push(e.eventId);
      await t.service.deps.store.append(`api-${e.eventId}`, [e], 'no_stream');
    }
    // Sealed and covered by a head signed because 5 or more events came in. How many events the
    // service itself appended at start (seeded policies) shifts where the count-based heads fall,
    // so filler events are appended until a head covers the last one (never a time-based head).
    await eventually(async () => {
      const res = await get(`/api/v1/audit/ledger/proofs/inclusion?event=${ids[ids.length - 1]}`);
      if (res.statusCode !== 200) {
        const filler = newEvent('LedgerApiRecorded', { filler: true });
        await t.service.deps.store.append(`api-${filler.eventId}`, [filler], 'no_stream');
      }
      expect(res.statusCode, res.body).toBe(200);
    }, 30_000);
    return ids;
  }

  describe('given the background sealer and a head policy of 5 events', () => {
    let ids: string[];
    beforeAll(async () => {
      // Two rounds, each enough for a head of its own.
      ids = [...(await appendAndWait(6)), ...(await appendAndWait(6))];
    });

    it('publishes the public key to anyone, and every head verifies with it', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit/ledger/public-key' });
      expect(res.statusCode).toBe(200);
      const { keyId, publicKeyPem, algorithm } = res.json();
      expect(algorithm).toBe('Ed25519');
      const key = createPublicKey(publicKeyPem);
      const heads = (await get('/api/v1/audit/ledger/heads?limit=500')).json().items as TreeHead[];
      expect(heads.length).toBeGreaterThan(1);
      for (const head of heads) {
        expect(head.keyId).toBe(keyId);
        expect(verifyTreeHead(head, key)).toBe(true);
      }
    });

    it('signs a head once 5 new events are sealed, sizes growing', async () => {
      const heads = (await get('/api/v1/audit/ledger/heads?limit=500')).json().items as TreeHead[];
      const sizes = heads.map((h) => h.treeSize);
      expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
      for (let i = 1; i < sizes.length; i++) expect(sizes[i]! - sizes[i - 1]!).toBeGreaterThanOrEqual(5);
      const latest = (await get('/api/v1/audit/ledger/heads/latest')).json();
      expect(latest).toEqual(heads[heads.length - 1]);
    });

    it('answers an inclusion proof of an event that verifies against the head (RFC 9162 §2.1.3.2)', async () => {
      await t.service.ledger.sealHeadNow();
      const head = (await get('/api/v1/audit/ledger/heads/latest')).json<TreeHead>();
      const res = await get(`/api/v1/audit/ledger/proofs/inclusion?event=${ids[3]}`);
      expect(res.statusCode, res.body).toBe(200);
      const proof = res.json();
      expect(proof.treeSize).toBe(head.treeSize);
      expect(proof.head).toEqual(head);
      expect(proof.event.eventId).toBe(ids[3]);
      expect(proof.leafHash).toBe(leafHash(proof.event.eventHash).toString('hex'));
      expect(verifyInclusion(proof.leafIndex, proof.treeSize, hex(proof.leafHash), proof.auditPath.map(hex), hex(head.rootHash))).toBe(true);
      expect(verifyInclusion(proof.leafIndex + 1, proof.treeSize, hex(proof.leafHash), proof.auditPath.map(hex), hex(head.rootHash))).toBe(false);
    });

    it('answers a consistency proof between two heads that verifies (RFC 9162 §2.1.4.2)', async () => {
      const heads = (await get('/api/v1/audit/ledger/heads?limit=500')).json().items as TreeHead[];
      const [older, newer] = [heads[0]!, heads[heads.length - 1]!];
      const res = await get(`/api/v1/audit/ledger/proofs/consistency?first=${older.treeSize}&second=${newer.treeSize}`);
      expect(res.statusCode, res.body).toBe(200);
      const proof = res.json();
      expect(proof).toMatchObject({ firstRootHash: older.rootHash, secondRootHash: newer.rootHash, firstHead: older, secondHead: newer });
      expect(verifyConsistency(older.treeSize, newer.treeSize, proof.proof.map(hex), hex(older.rootHash), hex(newer.rootHash))).toBe(true);
    });

    it('lists heads by time and pages through them', async () => {
      const all = (await get('/api/v1/audit/ledger/heads?limit=500')).json().items as TreeHead[];
      const first = (await get('/api/v1/audit/ledger/heads?limit=1')).json();
      expect(first.items).toEqual([all[0]]);
      const second = (await get(`/api/v1/audit/ledger/heads?limit=1&cursor=${first.nextCursor}`)).json();
      expect(second.items).toEqual([all[1]]);
      const from = all[0]!.timestamp;
      expect((await get(`/api/v1/audit/ledger/heads?from=${encodeURIComponent(from)}&limit=500`)).json().items).toEqual(all);
      expect((await get(`/api/v1/audit/ledger/heads?to=${encodeURIComponent(from)}&limit=500`)).json().items).toEqual([]);
    });

    it("downloads the day's heads as JSON Lines (county day)", async () => {
      const all = (await get('/api/v1/audit/ledger/heads?limit=500')).json().items as TreeHead[];
      // The test clock stands at 2026-03-02T09:00Z: 17:00 in Asia/Shanghai, the same day.
      const res = await get('/api/v1/audit/ledger/heads/daily?date=2026-03-02');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/x-ndjson');
      expect(res.headers['content-disposition']).toContain('tree-heads-2026-03-02.jsonl');
      const lines = res.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toEqual(all);
      const empty = await get('/api/v1/audit/ledger/heads/daily?date=2026-03-01');
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toBe('');
    });

    it('verifies a kept head: the log still extends it', async () => {
      const head = (await get('/api/v1/audit/ledger/heads?limit=1')).json().items[0];
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/audit/ledger/verify', headers: bearer(t.token('admin')), payload: head });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: true, keptHead: { extended: true, signatureValid: true }, problems: [] });
    });
  });

  describe('refusals', () => {
    it('is for auditors and admins only', async () => {
      for (const role of ['village_worker', 'county_worker', 'evaluator'] as const) {
        const res = await get('/api/v1/audit/ledger/heads/latest', bearer(t.token(role)));
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit/ledger/heads/latest' })).statusCode).toBe(401);
    });

    it('answers 400, never 5xx, for malformed input', async () => {
      const bad = [
        '/api/v1/audit/ledger/proofs/inclusion',
        '/api/v1/audit/ledger/proofs/inclusion?event=not-a-uuid',
        `/api/v1/audit/ledger/proofs/inclusion?event=${crypto.randomUUID()}&decision=${crypto.randomUUID()}`,
        '/api/v1/audit/ledger/proofs/inclusion?event=00000000-0000-4000-8000-000000000000&treeSize=-1',
        '/api/v1/audit/ledger/proofs/consistency?first=abc',
        '/api/v1/audit/ledger/proofs/consistency?first=99999999&second=1',
        '/api/v1/audit/ledger/heads?cursor=x',
        '/api/v1/audit/ledger/heads?from=yesterday',
        '/api/v1/audit/ledger/heads/daily?date=2026-02-30',
        '/api/v1/audit/ledger/proofs/consistency?first=1&second=99999999',
      ];
      for (const url of bad) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.headers['content-type'], url).toContain('application/problem+json');
      }
      const body = await t.app.inject({ method: 'POST', url: '/api/v1/audit/ledger/verify', headers: auditor(), payload: { treeSize: 'x' } });
      expect(body.statusCode).toBe(400);
    });

    it('answers 404 for an event or decision it does not know', async () => {
      expect((await get(`/api/v1/audit/ledger/proofs/inclusion?event=${crypto.randomUUID()}`)).statusCode).toBe(404);
      expect((await get(`/api/v1/audit/ledger/proofs/inclusion?decision=${crypto.randomUUID()}`)).statusCode).toBe(404);
    });
  });
});
