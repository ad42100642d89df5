import type { RuleId } from '../shared/rule-messages';
import { z } from 'zod';
import { DomainRuleViolation } from '../shared/errors';

/**
 * Words shared by the community-resources aggregates (volunteers, teams, service records,
 * projects, donations). Days are the county's calendar days (yyyy-mm-dd, compare as text).
 */
export const DaySchema = z.iso.date();
export const AtSchema = z.string().datetime();
export const UuidSchema = z.string().uuid();

/**
 * Money is integer fen (分), never a float of yuan: sums and balances stay exact. The ceiling
 * (¥10 billion) keeps any realistic county total far below 2^53, so a JS number is exact.
 */
export const MAX_FEN = 1_000_000_000_000;
export const FenSchema = z.number().int().positive().max(MAX_FEN);

/** Refuses a non-integer, non-positive or absurd amount with a rule the client can switch on. */
export function assertFen(rule: RuleId, amountFen: number): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0 || amountFen > MAX_FEN) {
    throw new DomainRuleViolation(rule, 'an amount is a positive whole number of fen (分)', { amountFen, maxFen: MAX_FEN });
  }
}

/**
 * Service time is integer minutes (not tenths of hours): a volunteer's 1 h 20 min is exact, and
 * hours are only ever a display derived from the sum. One entry covers at most one day.
 */
export const MAX_MINUTES_PER_ENTRY = 24 * 60;
export const MinutesSchema = z.number().int().min(1).max(MAX_MINUTES_PER_ENTRY);

/** Teams the article names: 银发先锋, 巾帼, 爱心爸妈, 青年志愿者, and village mutual-aid elder care (邻里互助养老). */
export const TeamKindSchema = z.enum(['silver_pioneer', 'women', 'caring_parents', 'youth', 'village_mutual_aid_elder_care', 'other']);
export type TeamKind = z.infer<typeof TeamKindSchema>;

/** "一小一老、一残一困": children, elders, people with disabilities, people in hardship. */
export const ServedGroupSchema = z.enum(['child', 'elder', 'disabled', 'hardship']);
export type ServedGroup = z.infer<typeof ServedGroupSchema>;

/** Government-purchased services, brand projects brought in (蓝信封, 向日葵), the stations' own projects. */
export const ProjectKindSchema = z.enum(['government_purchased', 'brand', 'station']);
export type ProjectKind = z.infer<typeof ProjectKindSchema>;

export const DonorKindSchema = z.enum(['company', 'person', 'online_platform']);
export type DonorKind = z.infer<typeof DonorKindSchema>;

/** How the money arrived; `online_charity` is a fundraising platform's transfer (互联网公益). */
export const DonationChannelSchema = z.enum(['bank_transfer', 'cash', 'mobile_payment', 'online_charity', 'other']);
export type DonationChannel = z.infer<typeof DonationChannelSchema>;

/** Commands carry the county's date: nothing here reads a clock. */
export function refuseFuture(rule: RuleId, what: string, day: string, today: string): void {
  if (day > today) throw new DomainRuleViolation(rule, `${what} (${day}) is after today (${today})`, { date: day, today });
}
