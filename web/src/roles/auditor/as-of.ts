/** The case history's time slider: each stop is one recorded event; the last stop is "now" (no asOf). */
export interface HistoryEvent {
  eventId: string;
  version: number;
  type: string;
  recordedAt: string;
  actor?: { id?: string; role?: string };
  hash?: string;
}

/**
 * The `asOf` to ask GET /cases/{id}/history for when the slider stands at `stop`: the instant the
 * event at that stop was recorded (so the case is shown just after it), or undefined at the last
 * stop, which asks for the case as it stands today.
 */
export function asOfAt(events: readonly HistoryEvent[], stop: number): string | undefined {
  if (stop >= events.length - 1) return undefined;
  return events[Math.max(0, stop)]?.recordedAt;
}

/** The slider's marks: the first and last event's county day, so the ends say when. */
export function sliderMarks(events: readonly HistoryEvent[]): Record<number, string> {
  if (!events.length) return {};
  return { 0: events[0]!.recordedAt.slice(0, 10), [events.length - 1]: events[events.length - 1]!.recordedAt.slice(0, 10) };
}
