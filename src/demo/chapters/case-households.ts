/**
 * Which households apply for what: a household has at most one open case per program (the
 * service refuses a second), so each program takes households no case of it has used yet, in the
 * world's order (deterministic). Households in special groups are taken first.
 */
import type { Program } from '../../domain/assistance/case.events';
import type { DemoHousehold, DemoMember } from '../context';
import { ageOn } from './case-facts';

const MID_YEAR = '2023-06-30';

/** The member a program's case is about: an older person for 特困, a child for the child programs. */
export function subjectOf(program: Program, h: DemoHousehold): DemoMember | undefined {
  if (program === 'tekun') return h.members.find((m) => ageOn(m.birthDate, MID_YEAR) >= 60);
  if (program === 'orphan' || program === 'unsupported_child')
    return h.members.find((m) => ageOn(m.birthDate, MID_YEAR) < 16 && ageOn(m.birthDate, MID_YEAR) >= 1);
  return h.members[0];
}

export class HouseholdPool {
  private readonly used = new Map<Program, Set<string>>();
  /** Where the next unfiltered search of a program starts: everything before it is used or unfit. */
  private readonly cursor = new Map<Program, number>();
  private readonly ordered: DemoHousehold[];

  constructor(households: readonly DemoHousehold[]) {
    // Special groups first, then the others; stable within each.
    this.ordered = [...households.filter((h) => h.specialGroups.length > 0), ...households.filter((h) => h.specialGroups.length === 0)];
  }

  /** Up to `n` households that can carry a case of the program and have none yet. */
  take(program: Program, n: number, where?: (h: DemoHousehold) => boolean): DemoHousehold[] {
    const used = this.used.get(program) ?? new Set<string>();
    this.used.set(program, used);
    const out: DemoHousehold[] = [];
    const filtered = where !== undefined;
    let i = filtered ? 0 : (this.cursor.get(program) ?? 0);
    for (; i < this.ordered.length && out.length < n; i++) {
      const h = this.ordered[i]!;
      if (used.has(h.id) || h.members.length === 0 || (where && !where(h)) || !subjectOf(program, h)) continue;
      used.add(h.id);
      out.push(h);
    }
    if (!filtered) this.cursor.set(program, i);
    return out;
  }
}
