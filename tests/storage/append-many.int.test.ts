import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectionProjection } from '../../src/projections/detection/detection.projection';
import { SqlEventStore } from '../../src/storage/sql-event-store';
import { performanceMetricsProjection } from '../../src/projections/performance/performance-metrics.projection';
import { INSECURE_DEFAULT_MAC_KEY, MAC_SHARDS, macShard } from '../../src/storage/event-mac';
import { fastAndSlowStores } from '../support/counted-statements';
import { newEvent } from '../support/events';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();

/** A raised finding, as the import's detections append it. */
function raised(overrides: Record<string, unknown> = {}) {
  const findingId = randomUUID();
  return newEvent(
    'FindingRaised',
    {
      findingId,
      taskId: randomUUID(),
      cause: 'illness',
      severity: 'medium',
      indicatedCauses: [],
      reasons: ['12个月自付医疗费用 ¥25,000.00 达到 ¥20,000.00', 'it\'s "quoted"'],
      subject: { personId: randomUUID(), idNumber: '530626195006011234', name: '赵某', matched: true, householdId: randomUUID(), groupId: randomUUID() },
      origin: { importId: randomUUID(), source: 'medical_insurance', row: 17 },
      raisedOn: '2026-01-15',
      deadline: '2026-01-25',
      policyVersion: 1,
      raisedAt: '2026-01-15T08:00:00.000Z',
      ...overrides,
    },
    { recordedAt: '2026-01-15T08:00:00.000Z' },
  );
}

const findingRow = (db: TestDatabase, id: unknown) =>
  sql<Record<string, unknown>>`select *, raised_on::text as raised_on, deadline::text as deadline from rm_detection_findings where id = ${id as string}`
    .execute(db.db)
    .then((r) => r.rows[0]);

describe.each(backends)('appends to many streams in one transaction on %s', (backend) => {
  let database: TestDatabase;
  let store: SqlEventStore;
  let slow: SqlEventStore;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    ({ fast: store, slow } = fastAndSlowStores(database, [detectionProjection], statements));
  });
  afterAll(async () => database?.close());

  it('carries a raised finding in the append statement: the row the projection writes in a transaction', async () => {
    const [a, b] = [raised(), raised()];
    statements.length = 0;
    await store.append(`finding-${randomUUID()}`, [a], 'no_stream');
    expect(statements).toEqual([expect.stringMatching(/^es_append_rows_/)]);
    await slow.append(`finding-${randomUUID()}`, [b], 'no_stream');
    const [viaStatement, viaTransaction] = [await findingRow(database, a.data.findingId), await findingRow(database, b.data.findingId)];
    const own = (e: typeof a, row: Record<string, unknown>) => ({
      id: e.data.findingId,
      task_id: e.data.taskId,
      stream_id: row.stream_id,
      import_id: row.import_id,
    });
    expect(viaStatement).toEqual({
      ...viaTransaction,
      ...own(a, viaStatement!),
      person_id: viaStatement!.person_id,
      household_id: viaStatement!.household_id,
      group_id: viaStatement!.group_id,
    });
    expect(viaStatement).toMatchObject({ status: 'open', severity: 'medium', row_no: 17, escalations: 0 });
    expect(Number(viaStatement!.version)).toBe(1);
    expect(viaStatement!.reasons).toEqual(a.data.reasons);
  });

  it('writes every stream or none: one head that moved leaves the others unwritten', async () => {
    const [s1, s2, s3] = [`finding-${randomUUID()}`, `finding-${randomUUID()}`, `finding-${randomUUID()}`];
    await store.append(s3, [raised()], 'no_stream');
    const [e1, e2, e3] = [raised(), raised(), raised()];
    // s3 exists at version 1: expecting no stream there fails the whole batch.
    expect(
      await store.appendMany([
        { streamId: s1, events: [e1], expected: 'no_stream' },
        { streamId: s2, events: [e2], expected: 'no_stream' },
        { streamId: s3, events: [e3], expected: 'no_stream' },
      ]),
    ).toBeNull();
    expect(await store.readStreams([s1, s2])).toEqual(new Map());
    expect(await findingRow(database, e1.data.findingId)).toBeUndefined();

    const results = await store.appendMany([
      { streamId: s1, events: [e1], expected: 'no_stream' },
      { streamId: s2, events: [e2], expected: 'no_stream' },
      { streamId: s3, events: [e3], expected: 1 },
    ]);
    expect(results?.map((r) => [r.streamId, r.version])).toEqual([
      [s1, 1],
      [s2, 1],
      [s3, 2],
    ]);
    const read = await store.readStreams([s1, s2, s3]);
    expect([...read.keys()].sort()).toEqual([s1, s2, s3].sort());
    expect(read.get(s3)!.map((e) => e.eventId)).toEqual([expect.any(String), e3.eventId]);
    expect(await findingRow(database, e2.data.findingId)).toMatchObject({ stream_id: s2 });
    expect((await store.verify()).broken).toEqual([]);
  });

  it('appends a batch in one statement: streams sharing a MAC shard, escalations in one update, MACs that verify', async () => {
    // The key the file's other stores use (the default), so the whole log verifies under it.
    const key = INSECURE_DEFAULT_MAC_KEY;
    let queries = 0;
    // Every data statement the store sends (BEGIN and COMMIT are not queries).
    const db = database.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => (queries++, args.result) });
    const keyed = new SqlEventStore(
      { ...database, db },
      { inlineProjections: [detectionProjection, performanceMetricsProjection], macKey: key, notify: false },
    );
    const stream = () => `finding-${randomUUID()}`;
    const [s1, s3, s4] = [stream(), stream(), stream()];
    let s2 = stream();
    while (macShard(s2, MAC_SHARDS) !== macShard(s1, MAC_SHARDS)) s2 = stream();
    const [f3, f4] = [raised(), raised()];
    await keyed.append(s3, [f3], 'no_stream');
    await keyed.append(s4, [f4], 'no_stream');
    const escalation = (f: typeof f3) =>
      newEvent(
        'FindingEscalated',
        {
          findingId: f.data.findingId,
          from: 'medium',
          to: 'high',
          indicatedCauses: ['disability'],
          reasons: ['再次'],
          origin: f.data.origin,
          deadline: '2026-01-20',
          reopened: false,
          escalatedOn: '2026-01-16',
          escalatedAt: '2026-01-16T08:00:00.000Z',
        },
        { recordedAt: '2026-01-16T08:00:00.000Z' },
      );
    const [e1, e2] = [raised(), raised()];
    queries = 0;
    const results = await keyed.appendMany([
      { streamId: s1, events: [e1], expected: 'no_stream' },
      { streamId: s2, events: [e2], expected: 'no_stream' },
      { streamId: s3, events: [escalation(f3)], expected: 1 },
      { streamId: s4, events: [escalation(f4)], expected: 1 },
    ]);
    // The append statement (events, heads, shards, raised findings, score-sheet marks) and one update for both escalations.
    expect(queries).toBe(2);
    expect(results?.map((r) => r.version)).toEqual([1, 1, 2, 2]);
    expect(await findingRow(database, e2.data.findingId)).toMatchObject({ stream_id: s2, status: 'open' });
    for (const f of [f3, f4])
      expect(await findingRow(database, f.data.findingId)).toMatchObject({ severity: 'high', escalations: 1, indicated_causes: ['disability'] });
    // The chain, every MAC, the heads' MACs and the shards' sums (two streams in one shard).
    expect((await keyed.verify()).broken).toEqual([]);
  });
});
