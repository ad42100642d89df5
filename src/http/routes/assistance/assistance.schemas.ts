import { z } from 'zod';

/** Shapes every assistance resource shares (cases, case steps, decisions, policies, calendars). */
export const Day = z.iso.date();
export const Uuid = z.string().uuid();
/** A JSON object whose shape the service owns (policy content, facts, a decision's record). */
export const OpenObject = z.record(z.string(), z.unknown());
