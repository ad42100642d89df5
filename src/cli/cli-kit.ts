import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config';
import { DataDirLockedError } from '../storage/data-dir-lock';

/**
 * What every command-line tool here shares (token, migrate, projections:rebuild, backup,
 * restore, bench:store, and any added later): `--help`, one readable line and a non-zero exit on
 * bad input (never a stack trace unless DEBUG is set), and progress on long work.
 *
 *   const { values, positionals } = parseCli(spec);            // --help handled, bad flags refused
 *   await runCli('migrate', async () => { ... throw new CliError('...') ... });
 */

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CliSpec<O extends Options> {
  /** How it is invoked, e.g. `npm run migrate --`. */
  command: string;
  /** One or two sentences: what it does. */
  summary: string;
  /** Positional arguments, as shown in the usage line, e.g. `FILE` or `NAME`. */
  positionals?: string;
  /** At least one positional is required. */
  requirePositional?: boolean;
  options: O;
  /** One line of help per option (and per environment variable it reads, under `env`). */
  help: { [K in keyof O]: string };
  env?: Readonly<Record<string, string>>;
  examples?: readonly string[];
}

/** Bad input: printed as one line, exit code 2 (usage) unless said otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function helpText<O extends Options>(spec: CliSpec<O>): string {
  const lines = [`usage: ${spec.command}${spec.positionals ? ` ${spec.positionals}` : ''} [options]`, '', spec.summary, '', 'options:'];
  const flag = (name: string, o: Options[string]) => `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' VALUE' : ''}`;
  const rows: [string, string][] = Object.entries(spec.options).map(([name, o]) => [
    flag(name, o),
    spec.help[name as keyof O] + (o.default !== undefined ? ` (default ${String(o.default)})` : ''),
  ]);
  rows.push(['-h, --help', 'show this help and exit']);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  for (const [f, h] of rows) lines.push(`  ${f.padEnd(width)}${h}`);
  if (spec.env && Object.keys(spec.env).length) {
    lines.push('', 'environment:');
    const w = Math.max(...Object.keys(spec.env).map((k) => k.length)) + 2;
    for (const [k, v] of Object.entries(spec.env)) lines.push(`  ${k.padEnd(w)}${v}`);
  }
  if (spec.examples?.length) lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/**
 * node:util parseArgs with `--help` (prints and exits 0 before anything is opened) and errors
 * as CliError: "unknown option --x (see --help)".
 */
export function parseCli<O extends Options>(spec: CliSpec<O>, argv: string[] = process.argv.slice(2)) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(helpText(spec));
    process.exit(0);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec.options, allowPositionals: Boolean(spec.positionals), strict: true });
  } catch (error) {
    // parseArgs messages are long and mention the API ("To specify a positional argument…").
    const message = (error as Error).message.split('. ')[0]!.replace(/^Unknown option '(.*)'$/, 'unknown option $1');
    throw new CliError(`${message} (see --help)`);
  }
  if (spec.requirePositional && parsed.positionals.length === 0) throw new CliError(`missing ${spec.positionals} (see --help)`);
  return parsed;
}

/** One line for any error; DEBUG=1 adds the stack. */
export function describeError(error: unknown): string {
  if (error instanceof ConfigError) return `invalid configuration: ${error.problems.join('; ')}`;
  if (error instanceof CliError || error instanceof DataDirLockedError) return error.message;
  const e = error as { code?: string; message?: string; address?: string; port?: number; hostname?: string };
  const code = e?.code;
  // node-postgres connection failures: say which server, never the password in the URL.
  if (code === 'ECONNREFUSED')
    return `cannot connect to the database at ${e.address ?? '?'}:${e.port ?? '?'} (connection refused): is PostgreSQL running, is DATABASE_URL right?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the database host ${e.hostname ?? ''}: check DATABASE_URL`;
  if (code === '28P01' || code === '28000') return `the database refused the login: ${e.message} (check the user and password in DATABASE_URL)`;
  if (code === '3D000') return `${e.message} (create it first, or check DATABASE_URL)`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/postgres(ql)?:\/\/[^@\s]*@/g, 'postgres://***@');
}

/**
 * Runs a command's body: on error prints `NAME: one line` to stderr and exits non-zero (2 for
 * bad input, 1 otherwise). Exits 0 when the body returns, so pools and timers cannot keep a
 * finished command alive.
 */
export async function runCli(name: string, body: () => Promise<void | number>): Promise<never> {
  try {
    const code = await body();
    process.exit(typeof code === 'number' ? code : 0);
  } catch (error) {
    console.error(`${name}: ${describeError(error)}`);
    if (process.env.DEBUG && error instanceof Error && error.stack) console.error(error.stack);
    process.exit(error instanceof CliError ? error.exitCode : error instanceof ConfigError || error instanceof DataDirLockedError ? 2 : 1);
  }
}

export interface Progress {
  /** Set the amount done so far (and the total, once known). */
  update(done: number, total?: number): void;
  /** The final line: `label: message`. */
  done(message: string): void;
}

/**
 * Progress on stderr, so stdout stays clean for results: on a terminal one line redrawn at most
 * ten times a second; in a log (CI, docker logs) a line every `everyMs`.
 */
export function progress(label: string, options: { stream?: NodeJS.WriteStream; everyMs?: number; unit?: string } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const every = tty ? 100 : (options.everyMs ?? 5000);
  const unit = options.unit ? ` ${options.unit}` : '';
  const started = Date.now();
  let last = 0;
  let total: number | undefined;
  const line = (done: number) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (total === undefined || total <= 0) return done === 0 ? `${label}: working (${seconds} s)` : `${label}: ${done}${unit} (${seconds} s)`;
    const pct = Math.min(100, Math.floor((done / total) * 100));
    const bar = tty ? ` [${'#'.repeat(Math.floor(pct / 5)).padEnd(20, '.')}]` : '';
    return `${label}:${bar} ${pct}% ${done}/${total}${unit} (${seconds} s)`;
  };
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      const now = Date.now();
      if (now - last < every) return;
      last = now;
      if (tty) stream.write(`\r\x1b[K${line(done)}`);
      else stream.write(`${line(done)}\n`);
    },
    done(message) {
      if (tty && last > 0) stream.write('\r\x1b[K');
      stream.write(`${label}: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    },
  };
}
