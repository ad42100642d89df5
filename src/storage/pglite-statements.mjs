// PGlite's own `query(text, params)` makes six trips into the WASM engine for every statement
// (Parse, Describe statement, Bind, Describe portal, Execute, Sync), and parses and plans the text
// every time. Under a load of small transactions (the demo county, the test suite) that was most of
// the time spent in PGlite (issue 15). Here a data statement is parsed once into a named prepared
// statement (its parameter types and row description kept), and each run of it is one trip:
// Bind + Execute + Sync. The values are serialised and the rows parsed by the instance's own
// serializers and parsers, so callers see the same rows and the same errors as from `query`.
// Plain JavaScript on purpose: the worker thread (pglite-thread.worker.mjs) imports it too.
import { parse, protocol } from '@electric-sql/pglite';

/** Prepared statements kept per instance; the least recently used one is closed past this. */
export const MAX_PREPARED_STATEMENTS = 256;

/** Statements worth preparing: they return rows or change them. DDL and the rest run unprepared. */
const PREPARABLE = /^(?:select|insert|update|delete|with|values)\b/i;
/** Statements that may change what a prepared statement reads or returns: every plan is dropped after them. */
const SCHEMA_CHANGE = /^(?:create|alter|drop|comment|grant|revoke|reindex|cluster|import|do)\b/i;
/** Blanks, comments and opening parentheses before a statement's first keyword. */
const LEAD = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*/;

/** The statement from its first keyword on (enough to classify it). */
function head(text) {
  const from = LEAD.exec(text)[0].length;
  return text.slice(from, from + 16);
}
const preparable = (text) => PREPARABLE.test(head(text));
const changesSchema = (text) => SCHEMA_CHANGE.test(head(text));

const serialize = protocol.serialize;
/** Names are unique in the process, so two callers on one instance never take each other's. */
let named = 0;

function concat(parts) {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** What PGlite's `query` adds to a database error (the caller may log the statement). */
function withStatement(error, text, params) {
  if (error && typeof error === 'object' && 'code' in error) {
    error.query = text;
    error.params = params;
  }
  return error;
}

/** "cached plan must not change result type": a table under a prepared statement changed its columns. */
function isStalePlan(error) {
  return error?.code === '0A000' && /cached plan/.test(String(error.message));
}

/**
 * `query(text, params)` over a PGlite instance with the same answer as `pglite.query` ({ rows,
 * affectedRows }), through prepared statements. One caller at a time (each call holds PGlite's
 * query lock); the statements live as long as the instance.
 */
export function preparedStatements(pglite, { max = MAX_PREPARED_STATEMENTS } = {}) {
  /** text → { name, oids, rowDescription }, in least-recently-used order. */
  const statements = new Map();

  const run = (message) => pglite.execProtocolStream(message, {});

  async function prepare(text) {
    const name = `pgl_s${named++}`;
    const messages = await run(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]));
    const statement = {
      name,
      oids: parse.parseDescribeStatementResults(messages),
      rowDescription: messages.find((m) => m.name === 'rowDescription') ?? null,
    };
    statements.set(text, statement);
    if (statements.size > max) {
      const [oldestText, oldest] = statements.entries().next().value;
      statements.delete(oldestText);
      await run(concat([serialize.close({ type: 'S', name: oldest.name }), serialize.sync()]));
    }
    return statement;
  }

  async function forgetAll() {
    if (statements.size === 0) return;
    const closes = [...statements.values()].map((s) => serialize.close({ type: 'S', name: s.name }));
    statements.clear();
    await run(concat([...closes, serialize.sync()]));
  }

  function values(statement, params) {
    return params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const serializer = pglite.serializers[statement.oids[i]];
      return serializer ? serializer(param) : param.toString();
    });
  }

  async function runPrepared(text, params) {
    let statement = statements.get(text);
    if (statement) {
      statements.delete(text);
      statements.set(text, statement);
    } else {
      statement = await prepare(text);
    }
    const messages = await run(
      concat([serialize.bind({ statement: statement.name, values: values(statement, params) }), serialize.execute({}), serialize.sync()]),
    );
    // The portal's rows have the statement's description (text format): parse them as `query` would.
    return parse.parseResults(statement.rowDescription ? [statement.rowDescription, ...messages] : messages, pglite.parsers)[0];
  }

  /** A statement without parameters not kept: parsed and run in one trip (transaction control, DDL, maintenance). */
  async function runOnce(text) {
    const messages = await run(
      concat([serialize.parse({ text }), serialize.bind({}), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
    );
    return parse.parseResults(messages, pglite.parsers)[0];
  }

  async function query(text, params = []) {
    if (!preparable(text)) {
      const result = await runOnce(text);
      if (changesSchema(text)) await forgetAll();
      return result;
    }
    try {
      return await runPrepared(text, params);
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      // Outside a transaction the statement can simply be prepared again; inside one the
      // transaction is already aborted, as it would have been with `query` after the change.
      statements.delete(text);
      if (pglite.isInTransaction()) throw error;
      return runPrepared(text, params);
    }
  }

  return {
    async query(text, params = []) {
      // Anything else with parameters (rare: none in src today) takes PGlite's own path.
      if (params.length > 0 && !preparable(text)) {
        const result = await pglite.query(text, params);
        if (changesSchema(text)) await pglite.runExclusive(forgetAll);
        return { rows: result.rows, affectedRows: result.affectedRows };
      }
      try {
        const result = await pglite.runExclusive(() => query(text, params));
        return { rows: result.rows, affectedRows: result.affectedRows };
      } catch (error) {
        throw withStatement(error, text, params);
      }
    },
  };
}
