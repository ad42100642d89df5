/**
 * The county's clock for stories that run side by side over HTTP (the cases chapter): the
 * service has one "today", set by the loader, and every step of a case must be sent on its story
 * day. Cases run together, each one's steps in order; a step for day D waits until every running
 * case is either finished or waiting for its next step, then the clock goes to the earliest day
 * waited for and the steps of that day are released. The clock never moves while a step is in
 * flight, so every step is answered on its own day.
 *
 * A step whose day is today goes at once (today's other steps may still be in flight); a step of
 * an earlier day (a month's payment dated before the decision that granted it) waits for the
 * barrier like any other and sends the clock back for its turn.
 */
export class DayBarrier {
  private today: string | null = null;
  /** Stories registered by `sideBySide` that have not finished. */
  private runners = 0;
  private inFlight = 0;
  private moving = false;
  private failure: { error: Error } | null = null;
  private waiting: { day: string; go: () => void; fail: (error: unknown) => void }[] = [];
  /** How often the clock was set, and how often it went back (for the bench's figures). */
  readonly moves = { forward: 0, back: 0 };

  constructor(private readonly setToday: (day: string) => void | Promise<void>) {}

  /** Sends one step on `day`: waits for the barrier, runs `send`, and lets the clock move again. */
  async step<T>(day: string, send: () => Promise<T>): Promise<T> {
    await this.enter(day);
    try {
      return await send();
    } finally {
      this.inFlight--;
      this.advance();
    }
  }

  /**
   * Runs `work` for every item side by side, all of them registered before any sends a step (so
   * the first day the clock takes is the earliest any of them wants); the first failure stops
   * every waiting step and is rethrown once the others have settled.
   */
  async sideBySide<T>(items: readonly T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
    this.runners += items.length;
    const results = await Promise.allSettled(
      items.map(async (item, index) => {
        try {
          await work(item, index);
        } catch (error) {
          this.fail(error);
          throw error;
        } finally {
          this.runners--;
          this.advance();
        }
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw this.failure?.error ?? failed.reason;
  }

  private enter(day: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (!this.moving && day === this.today) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((go, fail) => {
      this.waiting.push({ day, go, fail });
      this.advance();
    });
  }

  /** When nothing is in flight and every running story waits (or none is registered): the clock to the earliest day waited for. */
  private advance(): void {
    if (this.moving || this.failure || this.inFlight > 0 || this.waiting.length === 0 || this.waiting.length < this.runners) return;
    const day = this.waiting.reduce((min, w) => (w.day < min ? w.day : min), this.waiting[0]!.day);
    this.moving = true;
    Promise.resolve(this.setToday(day)).then(
      () => {
        this.moves[this.today !== null && day < this.today ? 'back' : 'forward']++;
        this.today = day;
        this.moving = false;
        const go = this.waiting.filter((w) => w.day === day);
        this.waiting = this.waiting.filter((w) => w.day !== day);
        this.inFlight += go.length;
        for (const w of go) w.go();
      },
      (error: unknown) => {
        this.moving = false;
        this.fail(error);
      },
    );
  }

  private fail(error: unknown): void {
    this.failure ??= { error: error instanceof Error ? error : new Error(String(error)) };
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.fail(this.failure.error);
  }
}
