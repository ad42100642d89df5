/** The case history's time slider: each stop is one instant at which events were recorded; the last stop is "now". */
export interface HistoryEvent {
  eventId: string;
  version: number;
  type: string;
  recordedAt: string;
  actor?: { id?: string; role?: string };
  hash?: string;
}

/**
 * The slider's stops: the distinct instants the events were recorded at, oldest first. Not the
 * stream order: back-dated entries (paperwork recorded later for an earlier day) make recordedAt
 * go back and forth, and the API's asOf cuts by recordedAt.
 */
export function historyStops(events: readonly HistoryEvent[]): string[] {
  return [...new Set(events.map((e) => e.recordedAt))].sort();
}

/**
 * The `asOf` to ask GET /cases/{id}/history for when the slider stands at `stop`: that instant
 * (the case just after what was recorded then), or undefined at the last stop, which asks for today.
 */
export function asOfAt(stops: readonly string[], stop: number): string | undefined {
  if (stop >= stops.length - 1) return undefined;
  return stops[Math.max(0, stop)];
}

/** The slider's marks: the first and last stop's day, so the ends say when. */
export function sliderMarks(stops: readonly string[]): Record<number, string> {
  if (!stops.length) return {};
  return { 0: stops[0]!.slice(0, 10), [stops.length - 1]: stops[stops.length - 1]!.slice(0, 10) };
}
