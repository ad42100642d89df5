import type { components } from '../../api/schema';

export type Station = components['schemas']['Station'];

/** The 六有 standard's six items, in the order the regulation lists them (场地、设备、人员、功能、流程、制度). */
export const SIX_ITEMS = ['venue', 'equipment', 'staff', 'service_functions', 'workflows', 'rules'] as const;
export type StandardItem = (typeof SIX_ITEMS)[number];

/** How many of the six a station meets; an item the checklist does not mention is unmet. */
export const metCount = (station: Station): number => SIX_ITEMS.filter((item) => station.checklist[item]?.met === true).length;

/** The items still missing, which POST /stations/{id}/open would refuse with. */
export const unmetItems = (station: Station): StandardItem[] => SIX_ITEMS.filter((item) => station.checklist[item]?.met !== true);

/** The If-Match of a write: the ETag the service sent with the station, else its version as that ETag. */
export const ifMatchOf = (station: Station, etag: string | null | undefined): string => etag ?? `"${station.version}"`;
