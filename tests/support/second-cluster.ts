import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throw-away PostgreSQL cluster started from this machine's own binaries (initdb + pg_ctl),
 * for tests that need a second server: a logical restore into a cluster whose transaction
 * counter is fresh. Returns null with the reason when the binaries are absent.
 */
export interface SecondCluster {
  url: string;
  bin: string;
  dir: string;
  stop(): void;
}

export function postgresBinaries(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return { missing: `${root} does not exist (no PostgreSQL server binaries on this machine)` };
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) return { missing: `no initdb under ${root}/*/bin` };
  return { bin: path.join(root, versions[0]!, 'bin') };
}

/** initdb refuses to run as root: run the server's tools as the postgres user then. */
function asServerUser(bin: string, tool: string, args: string[]): string {
  const isRoot = process.getuid?.() === 0;
  const file = isRoot ? 'runuser' : path.join(bin, tool);
  const argv = isRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The ports a second cluster may take: TEST_CLUSTER_PORTS=from-to where a machine assigns ranges, else 31150-31199. */
function clusterPorts(): [number, number] {
  const match = /^(\d+)-(\d+)$/.exec(process.env.TEST_CLUSTER_PORTS ?? '');
  return match ? [Number(match[1]), Number(match[2])] : [31150, 31199];
}

/** The first free port of the range after `after` (0: from the start). */
async function freePort([from, to]: [number, number], after = 0): Promise<number> {
  for (let port = Math.max(from, after + 1); port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = net
        .createServer()
        .once('error', () => resolve(false))
        .once('listening', () => server.close(() => resolve(true)));
      server.listen(port, '127.0.0.1');
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export async function startSecondCluster(bin: string): Promise<SecondCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'h12b-cluster-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  asServerUser(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  // Test files run in parallel and may probe the same free port before either binds it: the
  // loser's postmaster then fails to bind, so it starts again on a port further on.
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort(clusterPorts(), port);
    try {
      asServerUser(bin, 'pg_ctl', [
        '-D',
        data,
        '-l',
        path.join(dir, 'server.log'),
        '-w',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=20`,
        'start',
      ]);
      break;
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    bin,
    dir,
    stop() {
      try {
        asServerUser(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** pg_dump of one schema (custom format) from `source`, pg_restore of it into `target`. */
export function dumpAndRestore(bin: string, source: string, schema: string, target: string, dir: string): void {
  const file = path.join(dir, `${schema}.dump`);
  execFileSync(path.join(bin, 'pg_dump'), ['-Fc', '-n', schema, '-f', file, '-d', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  execFileSync(path.join(bin, 'pg_restore'), ['--exit-on-error', '-d', target, file], { stdio: ['ignore', 'pipe', 'pipe'] });
}
