import { daysBetween } from '../calendar/calendar-months';
import { clip } from './period';

/** A worker's responsibility (包保) for a group: [from, to) as the workforce read model keeps it. */
export interface Assignment {
  groupId: string;
  from: string;
  /** Exclusive; null = still held. */
  to: string | null;
}

/** The days of [lo, hi] (inclusive) the assignment covers, or null. */
export const heldWithin = (a: Assignment, lo: string, hi: string) => clip(a.from, a.to, lo, hi);

export const daysIn = (range: { from: string; to: string }) => daysBetween(range.from, range.to) + 1;

/** Did the worker hold the group on this day? */
export const heldOn = (assignments: readonly Assignment[], groupId: string, day: string) =>
  assignments.some((a) => a.groupId === groupId && a.from <= day && (a.to === null || a.to > day));
