import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Actor } from '../actor';
import { authorize, type Permission } from '../permissions/permissions';
import type { Clock } from '../clock';
import { NotFoundError } from '../errors';
import type { LedgerRunMode } from './ledger-run';

/** What an audit run checks: the ledger against its signed heads, every hash chain, or every decision. */
export type AuditRunKind = 'ledger' | 'chains' | 'replay';

export interface AuditRunProgress {
  /** Events (ledger, chains) or log pages (replay) done so far. */
  done: number;
  /** What the run will reach, when known at its start (null: not known). */
  total: number | null;
  batches: number;
}

export interface AuditRun {
  id: string;
  kind: AuditRunKind;
  mode: LedgerRunMode;
  state: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  progress: AuditRunProgress;
  /** The run's report once it has finished (the same body as the matching synchronous endpoint). */
  result: unknown;
  /** Why the run could not finish (not a finding: findings are in the result). */
  error: string | null;
}

export interface AuditRunRequest {
  kind: AuditRunKind;
  mode: LedgerRunMode;
  batchSize?: number;
  range?: { from?: string; to?: string };
}

/** One kind of run: who may start it, and the work, reporting its progress as it goes. */
export interface AuditRunner {
  policy: Permission<unknown>;
  run(request: AuditRunRequest, context: { actor: Actor; runId: string; progress: (p: AuditRunProgress) => void }): Promise<unknown>;
}

export type AuditRunStart = { run: AuditRun } | { busy: true; retryAfterSeconds: number; running: number };

/** Runs kept after they finish, newest first, for GET to find. */
const KEEP_FINISHED = 100;

/**
 * Audit runs as resources (issue 20): POST starts one in the background and answers at once, GET
 * shows its progress and, when it has finished, its report. At most `limit` run at once in this
 * process; the next is refused (the HTTP layer answers 429 with Retry-After) rather than queued,
 * so a caller that waits does not hold a connection and nothing piles up behind a long run.
 */
export class AuditRuns {
  private readonly runs = new Map<string, AuditRun>();
  private readonly active = new Set<Promise<unknown>>();
  private running = 0;

  constructor(
    private readonly runners: Record<AuditRunKind, AuditRunner>,
    private readonly clock: Clock,
    readonly limit: number,
    readonly retryAfterSeconds: number,
    private readonly logger?: Logger,
  ) {}

  async start(actor: Actor, request: AuditRunRequest): Promise<AuditRunStart> {
    const runner = this.runners[request.kind];
    await authorize(actor, runner.policy, undefined, `start an audit run (${request.kind})`);
    if (this.running >= this.limit) return { busy: true, retryAfterSeconds: this.retryAfterSeconds, running: this.running };
    this.running++;
    const run: AuditRun = {
      id: randomUUID(),
      kind: request.kind,
      mode: request.mode,
      state: 'running',
      startedAt: this.clock.now().toISOString(),
      finishedAt: null,
      progress: { done: 0, total: null, batches: 0 },
      result: null,
      error: null,
    };
    this.remember(run);
    const work = (async () => {
      try {
        run.result = await runner.run(request, { actor, runId: run.id, progress: (p) => (run.progress = p) });
        run.state = 'succeeded';
      } catch (error) {
        run.state = 'failed';
        run.error = '审计运行未能完成，请查看服务日志';
        this.logger?.error({ err: error, runId: run.id, kind: run.kind }, 'audit run failed');
      } finally {
        run.finishedAt = this.clock.now().toISOString();
        this.running--;
      }
    })();
    this.active.add(work);
    void work.finally(() => this.active.delete(work));
    return { run };
  }

  /** A run, to whoever may start runs of its kind. */
  async get(actor: Actor, id: string): Promise<AuditRun> {
    const run = this.runs.get(id);
    if (!run) throw new NotFoundError('audit run', id);
    await authorize(actor, this.runners[run.kind].policy, undefined, 'read an audit run');
    return run;
  }

  /** Runs in progress now (operations, the bench). */
  get inProgress(): number {
    return this.running;
  }

  /** Waits for the runs in progress (graceful stop, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.active]);
  }

  private remember(run: AuditRun): void {
    this.runs.set(run.id, run);
    if (this.runs.size <= KEEP_FINISHED) return;
    for (const [id, old] of this.runs) {
      if (this.runs.size <= KEEP_FINISHED) break;
      if (old.state !== 'running') {
        this.runs.delete(id);
      }
    }
  }
}
