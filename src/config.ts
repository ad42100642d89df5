import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const ConfigSchema = z
  .object({
    DATABASE_URL: z.string().url('must be a postgres:// URL').optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256)').optional(),
    JWT_PUBLIC_KEY: z.string().includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key (RS256)' }).optional(),
    JWKS_URL: z.string().url().optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
    PROJECTION_POLL_MS: z.coerce.number().int().positive().default(1000),
    DB_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
    /**
     * Named prepared statements for the append (parsed and planned once per connection). Turn
     * off behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21, or
     * with max_prepared_statements = 0).
     */
    DB_PREPARED_STATEMENTS: z
      .enum(['true', 'false'], { message: "must be 'true' or 'false'" })
      .default('true')
      .transform((v) => v === 'true'),
    /**
     * Key of the event MACs (base64url or hex, at least 32 bytes). Unset: a key generated on
     * first start in DATA_DIR/event-mac-key. Never store it in the database or its backups.
     */
    EVENT_MAC_KEY: z.string().min(43, 'must be at least 32 bytes (64 hex digits or 43 base64url characters)').optional(),
    /** Name of the service's sessions in pg_stat_activity (find them, or terminate them in a drill). */
    DB_APPLICATION_NAME: z
      .string()
      .regex(/^[\x20-\x7e]{1,63}$/, 'printable ASCII, at most 63 characters')
      .default('social-work-stations'),
    /** The server ends a session of ours left idle inside a transaction (it would stall readers). */
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    /** A connection attempt that takes longer fails the request with 503 instead of hanging it. */
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    /** An async projection lagging without progress this long is `stalled` and /ready fails. */
    PROJECTION_STALL_AFTER_MS: z.coerce.number().int().min(100).default(30_000),
    /**
     * Who may read GET /metrics: `protected` (METRICS_TOKEN as a bearer token, or an admin JWT),
     * `public` (a scrape network you trust), or `off`.
     */
    METRICS_ACCESS: z.enum(['protected', 'public', 'off']).default('protected'),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** OpenTelemetry traces over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME). */
    OTEL_TRACING: z
      .enum(['true', 'false'], { message: "must be 'true' or 'false'" })
      .default('false')
      .transform((v) => v === 'true'),
    /** On SIGTERM: how long in-flight requests may finish before their connections are cut. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(8_000),
    /** The county this deployment serves (assistance policies are per county). */
    /** Key of the person index (HMAC of ID numbers); absent = generated into DATA_DIR/person-index-key. */
    PERSON_INDEX_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    COUNTY_CODE: z
      .string()
      .regex(/^\d{6}$/, 'a 6-digit administrative division code')
      .default('530626'),
    /** The bureau whose name heads and signs printed documents (公示, 救助决定书, 不予救助通知书). */
    BUREAU_NAME: z.string().trim().min(2).max(60).default('绥江县民政局'),
    // ---- HTTP edge: privacy and protection (issue 13) ----
    /** Longest token lifetime accepted (exp − iat, or exp − now without iat); `exp` is required. */
    JWT_MAX_LIFETIME_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    /** Clock skew tolerated on exp, and on iat/nbf in the future. */
    JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    /** Stored Idempotency-Key replies are kept this long, then deleted. */
    IDEMPOTENCY_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /** Browser origins allowed to call the API (comma-separated, exact `https://host[:port]`); none by default. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s,]+$/, 'each origin is scheme://host[:port], no path'))),
    /**
     * Which proxies to trust for X-Forwarded-For (the client IP that rate limits and logs use):
     * `false` (default, direct connections), `true` (any — only behind a proxy that strips the
     * header), a hop count, or a comma-separated list of proxy IPs/CIDRs.
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v): boolean | number | string[] => {
        if (v === 'false') return false;
        if (v === 'true') return true;
        if (/^\d+$/.test(v)) return Number(v);
        return v
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
      }),
    /** Requests a minute per client IP (all requests, before authentication). */
    RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(600),
    /** Requests a minute per token subject (and role). */
    RATE_LIMIT_PER_SUB: z.coerce.number().int().positive().default(300),
    /** Requests a minute per subject on heavy routes: /audit/*, exports (CSV/JSONL) and imports. */
    RATE_LIMIT_HEAVY_PER_SUB: z.coerce.number().int().positive().default(20),
    /** Ed25519 private key (PKCS#8 PEM) that signs the ledger's tree heads; absent = DATA_DIR/ledger-ed25519.pem, generated once. */
    LEDGER_SIGNING_KEY: z.string().includes('BEGIN PRIVATE KEY', { message: 'must be a PKCS#8 PEM private key (Ed25519)' }).optional(),
    /** A signed tree head after this many new events … */
    LEDGER_HEAD_EVERY_EVENTS: z.coerce.number().int().min(1).default(1000),
    /** … or this many seconds after the last head, whichever comes first. */
    LEDGER_HEAD_EVERY_SECONDS: z.coerce.number().int().min(1).default(60),
    /** Audit runs (POST /api/v1/audit/runs) at once per process; the next is answered 429 with Retry-After (issue 20). */
    AUDIT_RUNS_MAX: z.coerce.number().int().min(1).max(16).default(1),
    /** The Retry-After (seconds) of an audit run refused because AUDIT_RUNS_MAX are running. */
    AUDIT_RUNS_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    /** Events per keyset page of an audit run over the log (memory holds one page). */
    AUDIT_RUN_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(2000),
    /** Appends gathered per NOTIFY to the tailing projections (ms); absent = 5, or 250 under DEMO=1 (its load is a bulk one). */
    EVENTS_NOTIFY_AFTER_MS: z.coerce.number().int().min(0).max(5000).optional(),
    /** `1`: the live score sheets are measured in the background at start and when the county day turns, not by their first reader (issue 20). */
    PERFORMANCE_WARM: z
      .enum(['0', '1', 'true', 'false'], { message: "must be '1' or '0'" })
      .default('1')
      .transform((v) => v === '1' || v === 'true'),
    // ---- Demo county (issue 15) ----
    /** `1`: the county's clock runs from DEMO_DATE, an empty data dir gets the demo county, demo users get tokens. */
    DEMO: z
      .enum(['0', '1', 'true', 'false'], { message: "must be '1' or '0'" })
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
    /** The county day the demo's clock starts on (09:00 county time); the history is 2023. */
    DEMO_DATE: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date yyyy-mm-dd')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date')
      .default('2023-12-20'),
    /** What `DEMO=1 npm start` loads on an empty data dir. */
    DEMO_SCALE: z.enum(['tiny', 'sample', 'county', 'province']).default('sample'),
    /** The generator's seed (same seed, same county); absent = the generator's own default. */
    DEMO_SEED: z.string().min(1).max(100).optional(),
    // ---- Web console (issue 17) ----
    /** The built console served at `/`; absent = web/dist beside the code (dist/web/dist after `npm run build`). */
    CONSOLE_DIR: z.string().min(1).optional(),
    // ---- Sign-in through the county's OpenID Connect provider (issue 17) ----
    /**
     * The provider's issuer (its discovery document is at ISSUER/.well-known/openid-configuration).
     * Set: the console offers 统一身份认证登录, JWT_ISSUER defaults to it and, without JWKS_URL or
     * JWT_PUBLIC_KEY, the keys come from the discovery document's jwks_uri.
     */
    OIDC_ISSUER: z.string().url('must be the issuer URL').refine(isIssuerUrl, 'https (http only on localhost/127.0.0.1), no query or fragment').optional(),
    /** The console's client id at the provider: a public client (no secret) using the code flow with PKCE. */
    OIDC_CLIENT_ID: z
      .string()
      .regex(/^[\x21-\x7e]{1,200}$/, 'printable ASCII without spaces')
      .optional(),
    /** Scopes the console asks for (space-separated); must include openid. */
    OIDC_SCOPE: z
      .string()
      .trim()
      .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'scopes separated by single spaces')
      .refine((s) => s.split(' ').includes('openid'), 'must include openid')
      .default('openid'),
  })
  .refine((c) => !c.JWKS_URL || c.JWT_ISSUER || c.OIDC_ISSUER, { message: 'JWT_ISSUER is required with JWKS_URL', path: ['JWT_ISSUER'] })
  .refine((c) => !c.OIDC_ISSUER === !c.OIDC_CLIENT_ID, { message: 'OIDC_ISSUER and OIDC_CLIENT_ID go together', path: ['OIDC_CLIENT_ID'] })
  // The console's tokens come from the provider: a different expected issuer would refuse every one.
  .refine((c) => !c.OIDC_ISSUER || !c.JWT_ISSUER || c.JWT_ISSUER === c.OIDC_ISSUER, {
    message: 'must equal OIDC_ISSUER (or be left unset: it defaults to OIDC_ISSUER)',
    path: ['JWT_ISSUER'],
  })
  // The provider signs with RS256; a shared secret beside it would only mint tokens nobody accepts.
  .refine((c) => !c.OIDC_ISSUER || !c.JWT_SECRET, { message: 'cannot be combined with OIDC_ISSUER (tokens are the provider’s, RS256)', path: ['JWT_SECRET'] })
  .transform((c) => ({ ...c, JWT_ISSUER: c.JWT_ISSUER ?? c.OIDC_ISSUER }));

/** An issuer the console may be sent to: https, or http on the loopback for a local provider. */
function isIssuerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.search || url.hash) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once at start; every bad variable is named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  }
  return parsed.data;
}
