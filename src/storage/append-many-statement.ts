import type { InlineRows, InlineStatement } from '../application/event-store';
import { assertSafeIdentifier } from './sql-database';

/** One stream's part of a multi-stream append: its head before and after, and its events' rows. */
export interface StreamPart {
  streamId: string;
  /** The head the events were chained to (version 0: the stream must not exist). */
  expectedVersion: number;
  expectedHash: string;
  newVersion: number;
  newHash: string;
  lastRecordedAt: string;
  headMac: string;
  /** Its MAC shard and the XOR of its events' accumulator MACs. */
  shard: number;
  acc: string;
  /** One row per event, in EVENT_COLUMNS order. */
  events: readonly (readonly unknown[])[];
  /** Inline projections' rows that ride in the statement. */
  rows: readonly InlineRows[];
}

export const EVENT_COLUMNS: readonly (readonly [string, string])[] = [
  ['event_id', 'uuid'],
  ['stream_id', 'text'],
  ['version', 'bigint'],
  ['type', 'text'],
  ['schema_version', 'int'],
  ['data', 'jsonb'],
  ['metadata', 'jsonb'],
  ['recorded_at', 'timestamptz'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
  ['mac', 'text'],
];

/** The columns that keep the hashed text of data and metadata (0177), and the EVENT_COLUMNS they are the text of. */
const HASHED_TEXT_COLUMNS = ['data_jcs', 'metadata_jcs'];
const HASHED_TEXT_OF = ['data', 'metadata'].map((name) => EVENT_COLUMNS.findIndex(([c]) => c === name));
const DATA = HASHED_TEXT_OF[0]!;

/** Parameters one statement may carry (PostgreSQL's protocol allows 65,535). */
export const MAX_STATEMENT_PARAMS = 30_000;

/** The parameters a part adds to the statement, to split a large batch over several statements. */
export function partParams(part: StreamPart): number {
  return 8 + part.events.length * EVENT_COLUMNS.length + part.rows.reduce((n, w) => n + w.rows.length * w.columns.length, 0);
}

/**
 * Many streams' appends as one statement (an import chunk's findings): the new streams' heads
 * inserted and the others' moved only where they are still the head the events were chained
 * to, the MAC shards locked in shard order and each moved once by the sum (XOR) of its streams,
 * the events inserted only for the heads that moved, and the inline rows only with the events.
 * The statement returns the inserted events' positions by stream; a stream missing from them
 * means its head moved, and the caller rolls the transaction back (the statement may already
 * have moved other heads). The advisory locks are the inline projections' shared ones, as in
 * the one-stream statement.
 */
export function appendManyStatement(parts: readonly StreamPart[], lockKeys: readonly bigint[]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const ctes: string[] = [];
  const heads: string[] = [];

  const created = parts.filter((s) => s.expectedVersion === 0);
  if (created.length > 0) {
    const values = created.map(
      (s) => `(${p(s.streamId, 'text')},${p(s.newVersion, 'bigint')},${p(s.newHash, 'text')},${p(s.lastRecordedAt, 'timestamptz')},${p(s.headMac, 'text')})`,
    );
    ctes.push(
      'created as (insert into es_streams (stream_id, version, last_hash, last_recorded_at, head_mac) ' +
        `select * from (values ${values.join(',')}) as v(stream_id, version, last_hash, last_recorded_at, head_mac) ` +
        'on conflict (stream_id) do nothing returning stream_id)',
    );
    heads.push('select stream_id from created');
  }
  const moved = parts.filter((s) => s.expectedVersion !== 0);
  if (moved.length > 0) {
    const values = moved.map(
      (s) =>
        `(${p(s.streamId, 'text')},${p(s.newVersion, 'bigint')},${p(s.newHash, 'text')},${p(s.lastRecordedAt, 'timestamptz')},${p(s.headMac, 'text')},${p(s.expectedVersion, 'bigint')},${p(s.expectedHash, 'text')})`,
    );
    ctes.push(
      'moved as (update es_streams s set version = v.version, last_hash = v.last_hash, last_recorded_at = v.last_recorded_at, head_mac = v.head_mac, updated_at = now() ' +
        `from (values ${values.join(',')}) as v(stream_id, version, last_hash, last_recorded_at, head_mac, expected_version, expected_hash) ` +
        'where s.stream_id = v.stream_id and s.version = v.expected_version and s.last_hash = v.expected_hash returning s.stream_id)',
    );
    heads.push('select stream_id from moved');
  }
  ctes.push(`head as (${heads.join(' union all ')})`);

  // The shards' rows locked in shard order (the sort runs below the lock), after the heads, as
  // a one-stream append takes them: two such statements never wait for each other crosswise.
  const shards = new Map<number, { events: number; acc: bigint }>();
  for (const s of parts) {
    const sum = shards.get(s.shard) ?? { events: 0, acc: 0n };
    shards.set(s.shard, { events: sum.events + s.events.length, acc: sum.acc ^ BigInt(`0x${s.acc}`) });
  }
  const shardValues = [...shards].map(([shard, sum]) => `(${p(shard, 'int')},${p(sum.events, 'bigint')},${p(sum.acc.toString(16).padStart(64, '0'), 'text')})`);
  ctes.push(
    `locked as (select count(*) as n from (select shard from es_mac_shards where shard = any(${p(`{${[...shards.keys()].join(',')}}`, 'int[]')}) ` +
      'and exists (select 1 from head) order by shard for update) l)',
    "acc as (update es_mac_shards m set events = m.events + v.events, acc = m.acc # ('x' || v.acc)::bit(256) " +
      `from (values ${shardValues.join(',')}) as v(shard, events, acc) where m.shard = v.shard and (select n from locked) > 0 returning m.shard)`,
  );

  // Data and metadata are sent once, as text, and kept as the hashed text (0177); metadata is also
  // parsed into its jsonb column, data is kept only as its text (0191: the data column stays null).
  const eventValues = parts.flatMap((s) =>
    s.events.map((row) => {
      const texts = row.map((value, i) => (EVENT_COLUMNS[i]![1] === 'jsonb' ? p(value, 'text') : p(value, EVENT_COLUMNS[i]![1])));
      const refs = texts.map((ref, i) => (i === DATA ? 'null::jsonb' : EVENT_COLUMNS[i]![1] === 'jsonb' ? `${ref}::jsonb` : ref));
      return `(${refs.join(',')},${HASHED_TEXT_OF.map((i) => texts[i]!).join(',')})`;
    }),
  );
  const columns = [...EVENT_COLUMNS.map(([c]) => c), ...HASHED_TEXT_COLUMNS].join(', ');
  ctes.push(
    `ins as (insert into es_events (${columns}) select v.* from (values ${eventValues.join(',')}) as v(${columns}) ` +
      'where v.stream_id in (select stream_id from head) ' +
      `and (select count(*) from (select pg_advisory_xact_lock_shared(k) from unnest(${p(`{${lockKeys.join(',')}}`, 'bigint[]')}) k) l) >= 0 ` +
      'returning stream_id, global_position, transaction_id::text as transaction_id, version)',
  );

  // Each table's rows of every stream in one insert (same columns and conflict rule).
  rowsByTable(parts.flatMap((s) => s.rows)).forEach(({ write, rows }, i) => {
    ctes.push(`p${i} as (${rowsInsertText(write, rows, p, 'where exists (select 1 from ins)')})`);
  });
  return { text: `with ${ctes.join(', ')} select stream_id, global_position, transaction_id, version from ins`, params };
}

/** Inline rows of one table with the same columns and conflict rule: written by one insert. */
export interface TableRows {
  write: InlineRows;
  rows: (readonly unknown[])[];
}

/** The rows grouped by table, columns and conflict rule, each group in first-seen order, its rows in the order given. */
export function rowsByTable(writes: readonly InlineRows[]): TableRows[] {
  const tables = new Map<string, TableRows>();
  for (const w of writes) {
    const key = `${w.table}(${w.columns.map((c) => c.join(' ')).join(',')}) ${w.onConflict} ${w.forEachRowOf ? `each ${w.forEachRowOf.table}(${w.forEachRowOf.columns.join(',')})` : ''}`;
    const entry = tables.get(key) ?? { write: w, rows: [] };
    entry.rows.push(...w.rows);
    tables.set(key, entry);
  }
  return [...tables.values()];
}

/**
 * The insert of `rows` as `write` says (its columns cast, one copy per row of forEachRowOf's
 * table, its conflict rule), each value a parameter placed by `p`; `where` limits the rows
 * (the append statement's "only with the events").
 */
export function rowsInsertText(
  write: InlineRows,
  rows: readonly (readonly unknown[])[],
  p: (value: unknown, type: string) => string,
  where = '',
  form: 'values' | 'arrays' = 'values',
): string {
  const w = write;
  const names = w.columns.map(([c]) => assertSafeIdentifier(c)).join(', ');
  for (const row of rows)
    if (row.length !== w.columns.length) throw new Error(`inline rows for ${w.table}: ${row.length} values for ${w.columns.length} columns`);
  // Arrays: a parameter per column whatever the rows (a rebuild's thousands), where a parameter
  // per value would cost the server its parse and bind of tens of thousands.
  const values =
    form === 'arrays'
      ? `unnest(${w.columns
          .map(([, type], k) =>
            p(
              rows.map((row) => row[k]),
              `${assertSafeIdentifier(type)}[]`,
            ),
          )
          .join(', ')}) as v(${names})`
      : `(values ${rows.map((row) => `(${w.columns.map(([, type], k) => p(row[k], assertSafeIdentifier(type))).join(',')})`).join(',')}) as v(${names})`;
  const each = w.forEachRowOf;
  const select = each
    ? `select ${each.columns.map((c) => `e.${assertSafeIdentifier(c)}`).join(', ')}, v.* from ${values} cross join ${assertSafeIdentifier(each.table)} e`
    : `select * from ${values}`;
  const target = each ? `${each.columns.map(assertSafeIdentifier).join(', ')}, ${names}` : names;
  return `insert into ${assertSafeIdentifier(w.table)} (${target}) ${select}${where ? ` ${where}` : ''} on conflict ${w.onConflict}`;
}

/**
 * Rows as standalone inserts (a rebuild's page): one per table, each column's values one array
 * parameter. Run in order, they write what one statement would.
 */
export function rowsStatements(writes: readonly InlineRows[]): { text: string; params: unknown[] }[] {
  return rowsByTable(writes).map(({ write, rows }) => {
    const params: unknown[] = [];
    const p = (value: unknown, type: string) => {
      params.push(value);
      return `$${params.length}::${type}`;
    };
    return { text: rowsInsertText(write, rows, p, '', 'arrays'), params };
  });
}

/** An InlineStatement's text, its parameters numbered from `offset` + 1. */
export function statementText(w: InlineStatement, offset: number): string {
  return w.sql({
    inserted: 'exists (select 1 from ins)',
    shardMoved: 'exists (select 1 from acc)',
    param: (index) => {
      if (!Number.isInteger(index) || index < 0 || index >= w.params.length) throw new Error(`inline statement: no parameter ${index}`);
      return `$${offset + index + 1}`;
    },
  });
}

/**
 * Rows and sub-statements as the append statement carries them, without the events (a rebuild's
 * page): the same CTEs over an `ins` that always holds, so each sub-statement sees the snapshot
 * before the rows, as it does in the append.
 */
export function rowsWithStatements(writes: readonly InlineRows[], statements: readonly InlineStatement[]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const ctes = ['ins as (select 1)', 'acc as (select 1)'];
  rowsByTable(writes).forEach(({ write, rows }, i) => ctes.push(`p${i} as (${rowsInsertText(write, rows, p, 'where exists (select 1 from ins)')})`));
  statements.forEach((w, i) => {
    ctes.push(`s${i} as (${statementText(w, params.length)})`);
    params.push(...w.params);
  });
  return { text: `with ${ctes.join(', ')} select 1`, params };
}

/** The parameters rows and sub-statements take (a statement carries at most MAX_STATEMENT_PARAMS). */
export function writesParams(writes: readonly InlineRows[], statements: readonly InlineStatement[]): number {
  return writes.reduce((n, w) => n + w.rows.length * w.columns.length, 0) + statements.reduce((n, w) => n + w.params.length, 0);
}
