import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash } from '../../src/application/hash-chain';
import { newEvent } from '../support/events';
import { asDba } from '../support/tamper';
import { bearer, startTestApp, type TestApp } from '../support/test-app';
import { availableBackends } from '../support/test-database';

const backends = await availableBackends();

describe.each(backends)('audit endpoints over a tampered log on %s', (backend) => {
  let t: TestApp;
  let auditor: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ backend });
    auditor = bearer(t.token('auditor'));
  });
  afterAll(async () => t?.close());

  const verify = async (streamId?: string) => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit/verify${streamId ? `?streamId=${encodeURIComponent(streamId)}` : ''}`,
      headers: auditor,
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const replay = async (payload?: object) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/audit/replay', headers: auditor, ...(payload ? { payload } : {}) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it('replays everything with no body or {}, counting decisions from the case streams (none yet: nothing to miss)', async () => {
    for (const body of [undefined, {}]) {
      const report = await replay(body);
      expect(report).toMatchObject({ decisionsInLog: 0, decisionsReplayed: 0, mismatches: [], ok: true, range: { from: '0000-01-01', to: '9999-12-31' } });
    }
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/audit/replay', headers: auditor, payload: { from: '2024-02-01', to: '2024-01-01' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('names a row forged with SQL and a correctly recomputed chain (its MAC fails), not a 500', async () => {
    const id = `forged-${randomUUID()}`;
    const { events } = await t.service.deps.store.append(id, [newEvent('A', { n: 1 })], 'no_stream');
    const e = newEvent('A', { n: 2 });
    const hash = eventHash({
      streamId: id,
      eventId: e.eventId,
      version: 2,
      type: 'A',
      schemaVersion: 1,
      data: e.data,
      metadata: e.metadata,
      prevHash: events[0]!.hash,
    });
    await asDba(
      t.database.db,
      sql`insert into es_events (event_id, stream_id, version, type, schema_version, data, metadata, recorded_at, prev_hash, hash, mac)
          values (${e.eventId}::uuid, ${id}, 2, 'A', 1, ${JSON.stringify(e.data)}::jsonb, ${JSON.stringify(e.metadata)}::jsonb, ${e.metadata.recordedAt}::timestamptz, ${events[0]!.hash}, ${hash}, ${'a'.repeat(64)})`,
      sql`update es_streams set version = 2, last_hash = ${hash} where stream_id = ${id}`,
    );
    const report = await verify(id);
    expect(report.ok).toBe(false);
    expect(report.broken).toContainEqual({ streamId: id, version: 2, eventId: e.eventId, reason: expect.stringContaining('MAC does not match') });
  });

  it('reports a stored recorded_at that is no instant as a broken row, not a 500', async () => {
    const id = `infinite-${randomUUID()}`;
    const { events } = await t.service.deps.store.append(id, [newEvent('A')], 'no_stream');
    await asDba(
      t.database.db,
      sql`alter table es_events drop constraint es_events_recorded_at_finite`,
      sql`update es_events set recorded_at = 'infinity' where event_id = ${events[0]!.eventId}::uuid`,
      sql`alter table es_events add constraint es_events_recorded_at_finite check (isfinite(recorded_at)) not valid`,
    );
    const one = await verify(id);
    expect(one.broken).toEqual([{ streamId: id, version: 1, eventId: events[0]!.eventId, reason: expect.stringContaining('not a valid instant') }]);
    const all = await verify();
    expect(all.broken).toContainEqual(expect.objectContaining({ streamId: id, reason: expect.stringContaining('not a valid instant') }));
  });
});
