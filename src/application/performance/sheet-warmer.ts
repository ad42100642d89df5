import type { Logger } from 'pino';
import { countyDate, type Clock } from '../clock';
import type { PerformanceService } from './performance.service';

/**
 * Measures the live score sheets in the background (PerformanceService.warm) when the service
 * starts and whenever the county day turns, so the committee's first read of a day answers from
 * stored counters (issue 20: at county scale that first read measured 70 workers for ~1.5 s
 * while every other reader queued). One run at a time; failures are logged and retried next day
 * turn or restart, and a reader meanwhile measures as before.
 */
export class SheetWarmer {
  private timer: NodeJS.Timeout | null = null;
  private day: string | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly performance: Pick<PerformanceService, 'warm'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly checkEveryMs = 60_000,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.checkEveryMs);
    this.timer.unref();
  }

  /** Resolves once the run in flight (if any) has finished. */
  settled(): Promise<void> {
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    const now = this.clock.now();
    const day = countyDate(now);
    if (this.stopped || day === this.day) return;
    this.day = day;
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      const started = Date.now();
      try {
        const periods = await this.performance.warm(now);
        this.logger.info({ day, periods, ms: Date.now() - started }, 'score sheets measured ahead of their readers');
      } catch (error) {
        this.logger.warn({ err: error, day }, 'measuring the score sheets ahead failed; their first reader measures them');
      }
    });
  }
}
