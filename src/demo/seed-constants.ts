export const DEFAULT_DEMO_SEED = 'suijiang-2023';
/** Suijiang's statistical code; the province scale numbers its other counties around it. */
export const DEMO_COUNTY_CODE = '530626';
