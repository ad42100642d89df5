import { SingleBar } from 'cli-progress';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { auditLedger, type LedgerAuditReport } from '../application/ledger/ledger-audit';
import { ledgerKeyPath, publicKeyFromPem } from '../application/ledger/signing-key';
import { TreeHeadSchema, type TreeHead } from '../application/ledger/tree-head';
import { openPGlite } from '../storage/pglite-database';
import { openPostgres } from '../storage/postgres-database';
import type { SqlDatabase } from '../storage/sql-database';
import { SqlEventStore } from '../storage/sql-event-store';

export const USAGE = `Usage: npm run audit:verify -- --head head.json [--database-url URL [--schema NAME] | --data-dir DIR] [--public-key key.pem] [--json]

Checks the event log against a signed tree head you kept: rebuilds the Merkle tree from the log in
its global order, checks the kept head's signature and root, every stored head, the sealed leaves,
every per-stream hash chain and every stream row. Exit 0: the log extends the head and nothing is
broken; 1: something is broken (each finding is printed); 2: bad arguments or unreadable input.

  --head FILE          a signed tree head (JSON), or a heads file (JSON Lines: the last line is used)
  --database-url URL   PostgreSQL (default: $DATABASE_URL)
  --schema NAME        PostgreSQL schema of the service's tables (default: public)
  --data-dir DIR       the service's DATA_DIR with embedded PGlite (default: $DATA_DIR or ./data)
  --public-key FILE    the Ed25519 public key you pinned (PEM, from GET /api/v1/audit/ledger/public-key);
                       default: the public half of LEDGER_SIGNING_KEY or DATA_DIR/ledger-ed25519.pem
  --json               print the full report as JSON
`;

export class UsageError extends Error {}

/** A head from a file: one JSON object, or JSON Lines of heads (the last one is the latest). */
export function readHeadFile(text: string): TreeHead {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  let json: unknown;
  try {
    json = lines.length > 1 && lines.every((l) => l.startsWith('{') && l.endsWith('}')) ? JSON.parse(lines[lines.length - 1]!) : JSON.parse(text);
  } catch {
    throw new UsageError('the head file is not JSON');
  }
  const parsed = TreeHeadSchema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(`the head file is not a signed tree head: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Runs the audit over an open database; shows a progress bar on a terminal. */
export async function verifyDatabase(database: SqlDatabase, head: TreeHead, publicKey: KeyObject, progress = false): Promise<LedgerAuditReport> {
  const store = new SqlEventStore(database, { notify: false });
  const bar = progress
    ? new SingleBar({ stream: process.stderr, format: 'log {bar} {value}/{total} events | {percentage}% | ETA {eta}s', hideCursor: true })
    : null;
  let started = false;
  try {
    return await auditLedger({
      db: database.db,
      store,
      publicKey,
      keptHead: head,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.setTotal(total);
        bar.update(done);
      },
    });
  } finally {
    bar?.stop();
  }
}

export function formatReport(report: LedgerAuditReport): string {
  const lines: string[] = [];
  const k = report.keptHead;
  if (k)
    lines.push(`kept head: size ${k.treeSize}, signature ${k.signatureValid ? 'valid' : 'INVALID'}, log ${k.extended ? 'extends it' : 'DOES NOT extend it'}`);
  lines.push(
    `log: ${report.logSize} events, ${report.sealedSize} sealed, ${report.unsealedEvents} not yet sealed; ${report.storedHeads.checked} stored heads checked`,
  );
  lines.push(`chains: ${report.chains.streamsChecked} streams, ${report.chains.eventsChecked} events, ${report.chains.broken.length} broken`);
  const d = report.firstDifferingLeaf;
  if (d) {
    const at = (e: { eventId: string; streamId: string; version: number } | null) => (e ? `${e.streamId} v${e.version} (${e.eventId})` : 'nothing');
    lines.push(
      `first differing leaf: ${d.exact ? '' : 'at or after '}#${d.index}${d.before !== undefined ? ` (before #${d.before})` : ''}: sealed ${at(d.sealed)}, log now ${at(d.log)}`,
    );
  }
  for (const p of report.problems) lines.push(`BROKEN: ${p}`);
  lines.push(report.ok ? 'OK: the log extends the kept head and every check passed' : `FAILED: ${report.problems.length} problem(s)`);
  return lines.join('\n');
}

function publicKeyFrom(file: string | undefined, dataDir: string): KeyObject {
  if (file) return publicKeyFromPem(readFileSync(file, 'utf8'));
  if (process.env.LEDGER_SIGNING_KEY) return publicKeyFromPem(process.env.LEDGER_SIGNING_KEY.replaceAll('\\n', '\n'));
  const path = ledgerKeyPath(dataDir);
  if (existsSync(path)) return publicKeyFromPem(readFileSync(path, 'utf8'));
  throw new UsageError('no public key: give --public-key (the PEM from GET /api/v1/audit/ledger/public-key)');
}

/** The command: parses argv, opens the database read-only in spirit (no migrations), returns the exit code. */
export async function main(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  let database: SqlDatabase | null = null;
  try {
    const { values } = (() => {
      try {
        return parseArgs({
          args: argv,
          options: {
            head: { type: 'string' },
            'database-url': { type: 'string' },
            schema: { type: 'string' },
            'data-dir': { type: 'string' },
            'public-key': { type: 'string' },
            json: { type: 'boolean', default: false },
            help: { type: 'boolean', short: 'h', default: false },
          },
        });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    })();
    if (values.help) {
      out(USAGE);
      return 0;
    }
    if (!values.head) throw new UsageError('--head is required');
    if (values['database-url'] && values['data-dir']) throw new UsageError('give --database-url or --data-dir, not both');
    if (!existsSync(values.head)) throw new UsageError(`no such head file: ${values.head}`);
    const head = readHeadFile(readFileSync(values.head, 'utf8'));
    const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? './data';
    const publicKey = publicKeyFrom(values['public-key'], dataDir);
    const url = values['data-dir'] ? undefined : (values['database-url'] ?? process.env.DATABASE_URL);
    if (url) database = await openPostgres({ connectionString: url, poolSize: 2, ...(values.schema ? { schema: values.schema } : {}) });
    else {
      const dir = join(dataDir, 'pglite');
      if (!existsSync(dir)) throw new UsageError(`no PGlite database in ${dir}`);
      database = await openPGlite({ dataDir: dir });
    }
    const report = await verifyDatabase(database, head, publicKey, !values.json && process.stderr.isTTY === true);
    out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`audit:verify: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    err(`audit:verify: ${(error as Error).message}`);
    return 2;
  } finally {
    await database?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
