import type { Config } from '../config';
import { demoLoadRecords } from '../demo/demo-load-record';
import { DEMO_ROLE_LABELS, DEMO_ROLES, demoTokenLifetimeMs, findDemoUsers, withTokens } from '../demo/demo-users';
import type { DemoUserView } from '../http/demo-port';
import { liveHolder } from '../storage/data-dir-lock';
import { CliError } from './cli-kit';
import { mintLocalToken } from './mint-token';
import { openDatabaseForCli, pgliteDir } from './open-database';

export interface DemoTokens {
  countyDay: string;
  users: DemoUserView[];
  /** Where they came from: the running service (its address) or the database read directly. */
  source: string;
}

/**
 * The demo users with tokens. A service running on the embedded data dir owns its files, so it
 * is asked (GET /api/v1/demo/users, the same module answers there); otherwise the database is
 * read directly and the tokens signed here with the same secret the service verifies.
 */
export async function demoTokens(config: Config): Promise<DemoTokens> {
  const holder = config.DATABASE_URL ? null : liveHolder(pgliteDir(config));
  if (holder?.endpoint) return fromService(holder.endpoint);
  if (holder)
    throw new CliError(
      `the data dir ${pgliteDir(config)} is in use by pid ${holder.pid} (${holder.purpose}), which has no HTTP address: try again when it has finished`,
    );
  return fromDatabase(config);
}

async function fromService(endpoint: string): Promise<DemoTokens> {
  const url = `${endpoint.replace(/\/$/, '')}/api/v1/demo/users`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (error) {
    throw new CliError(`cannot reach the service at ${endpoint}: ${(error as Error).message}`, 1);
  }
  if (res.status === 404) throw new CliError(`the service at ${endpoint} is not in demo mode: start it with DEMO=1`, 1);
  const body = (await res.json().catch(() => null)) as { countyDay?: string; items?: DemoUserView[]; title?: string; detail?: string } | null;
  if (!res.ok || !body?.items || !body.countyDay)
    throw new CliError(`the service at ${endpoint} has no demo users yet: ${body?.detail ?? body?.title ?? `HTTP ${res.status}`}`, 1);
  return { countyDay: body.countyDay, users: body.items, source: endpoint };
}

async function fromDatabase(config: Config): Promise<DemoTokens> {
  const database = await openDatabaseForCli(config, 'npm run token -- --demo');
  try {
    const record = await demoLoadRecords.find(database.db).catch((error: { code?: string }) => {
      // No such table: the database was never migrated by this version, so holds no demo county.
      if (error?.code === '42P01') return null;
      throw error;
    });
    if (record?.state !== 'loaded') {
      throw new CliError(
        record
          ? 'the demo county is still loading (or its load was cut short): wait for GET /ready, or start DEMO=1 npm start again'
          : 'no demo county in this database: start the service once with DEMO=1 npm start',
        1,
      );
    }
    const users = await findDemoUsers(database.db, config.DEMO_DATE);
    const signed = withTokens(users, (claims, ms) => mintLocalToken(config, claims, ms), demoTokenLifetimeMs(config.JWT_MAX_LIFETIME_SECONDS), new Date());
    if (!signed) throw new CliError(`no JWT_SECRET set and no ${config.DATA_DIR}/jwt-secret: demo tokens are signed with the service's HS256 secret`);
    return { countyDay: config.DEMO_DATE, users: signed, source: config.DATABASE_URL ? 'PostgreSQL' : pgliteDir(config) };
  } finally {
    await database.close();
  }
}

/**
 * Lines a person reads and a shell evaluates: each user as a comment, then an export of their
 * token (`eval "$(npm run -s token -- --demo)"` sets them all).
 */
export function formatDemoTokens(tokens: DemoTokens): string[] {
  const hours = tokens.users[0] ? Math.round((Date.parse(tokens.users[0].expiresAt) - Date.now()) / 3_600_000) : 0;
  const lines = [
    `# 演示县用户 Demo users — 县里的日期 county day ${tokens.countyDay}；令牌约 ${hours} 小时有效 tokens valid about ${hours} h (${tokens.source})`,
  ];
  for (const user of tokens.users) {
    const who = user.person
      ? `${user.person.name}（${user.person.kind === 'worker' ? '社工 worker' : '审批人员 official'} ${user.person.id}）`
      : `sub ${user.sub}`;
    lines.push('', `# ${user.roleLabel.zh} ${user.roleLabel.en} [${user.role}]: ${who} — ${user.area.label}`, `export ${envName(user.role)}=${user.token}`);
  }
  const missing = DEMO_ROLES.filter((role) => !tokens.users.some((u) => u.role === role));
  for (const role of missing) lines.push('', `# ${DEMO_ROLE_LABELS[role].zh} ${DEMO_ROLE_LABELS[role].en} [${role}]: 演示县中没有 nobody in this county yet`);
  return lines;
}

/** DEMO_VILLAGE_WORKER_TOKEN and so on. */
export const envName = (role: string) => `DEMO_${role.toUpperCase()}_TOKEN`;
