import type { Role } from '../application/actor';

/**
 * What the HTTP layer sees of demo mode (DEMO=1): the county's clock and load for /ready, and the
 * demo users for GET /api/v1/demo/users. Declared here and implemented in src/demo, so no route
 * imports the demo county's code.
 */
export interface DemoPort {
  status(): DemoStatus;
  /** One user per role with a token; throws DemoNotLoadedError or DemoTokensUnavailableError. */
  users(): Promise<DemoUserView[]>;
}

export type DemoLoadState = 'waiting' | 'loading' | 'loaded' | 'failed';

export interface DemoStatus {
  /** The county's clock now (ISO instant) and its county day. */
  date: string;
  countyDay: string;
  /** County clock minus real clock (negative: the county lives in 2023). */
  clockOffsetMs: number;
  load: {
    state: DemoLoadState;
    scale: string;
    seed: string;
    chapter: string | null;
    done: number;
    total: number;
    loadedAt?: string;
    /** Why the load failed or was not attempted (no personal data: the details go to the log). */
    error?: string;
  };
}

export interface DemoUserView {
  role: Role;
  /** The role as people in the county say it, and in English. */
  roleLabel: { zh: string; en: string };
  /** The token's subject: the worker's or official's id, or a fixed name for roles without one. */
  sub: string;
  /** The worker or official the user signs in as; null for admin, auditor and evaluator. */
  person: { kind: 'worker' | 'official'; id: string; name: string } | null;
  area: {
    level: 'county' | 'town' | 'village';
    townId: string | null;
    townName: string | null;
    villageId: string | null;
    villageName: string | null;
    label: string;
  };
  token: string;
  expiresAt: string;
}

/** The demo users were asked for before the county was loaded. */
export class DemoNotLoadedError extends Error {
  constructor(readonly state: DemoLoadState) {
    super(`the demo county is ${state}`);
    this.name = 'DemoNotLoadedError';
  }
}

/** The service signs no tokens itself (RS256 or JWKS): demo users cannot be handed tokens. */
export class DemoTokensUnavailableError extends Error {
  constructor() {
    super('this service verifies tokens it does not sign (JWT_PUBLIC_KEY or JWKS_URL): demo tokens need JWT_SECRET');
    this.name = 'DemoTokensUnavailableError';
  }
}
