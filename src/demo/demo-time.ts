import { createHash } from 'node:crypto';

/** The county's offset: story dates are days as people in Suijiang state them (Asia/Shanghai, no DST). */
const COUNTY_OFFSET = '+08:00';

/**
 * The instant of an act at a story date. A bare day lands in office hours (09:00–16:59 county
 * time) at a minute derived from the label, so a day's acts are spread out yet the same on every run;
 * a local date-time is read as county time; an instant with a zone is taken as it is.
 */
export function storyInstant(when: string, label: string): Date {
  let iso: string;
  if (/^\d{4}-\d{2}-\d{2}$/.test(when)) {
    const minute = createHash('sha256').update(label).digest().readUInt16LE(0) % (8 * 60);
    iso = `${when}T${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00${COUNTY_OFFSET}`;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(when)) {
    iso = `${when}${COUNTY_OFFSET}`;
  } else {
    iso = when;
  }
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new Error(`not a story date: ${when}`);
  return instant;
}

/** The demo's "today" (issue 15): the county as it stood on 2023-12-20. */
export const DEMO_DATE = '2023-12-20';
