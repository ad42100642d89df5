import { assistanceProjection } from './assistance/assistance.projection';
import { communityProjections } from './community/community.projections';
import { detectionProjection } from './detection/detection.projection';
import { geographyProjection } from './geography/geography.projection';
import { householdsProjection } from './households/households.projection';
import { performanceProjection } from './performance/performance.projection';
import { performanceMetricsProjection } from './performance/performance-metrics.projection';
import { officialsProjection } from './assistance/officials.projection';
import { reserveFundsProjection } from './assistance/reserve-funds.projection';
import type { Projection } from './projection';
import { stationsProjection } from './stations/stations.projection';
import { workforceProjection } from './workforce/workforce.projection';
import { scheduleProjection } from './visits/schedule.projection';
import { visitsProjection } from './visits/visits.projection';
import { coverageProjection } from './coverage/coverage.projection';

/** Every projection of the service. A new read model is added here and nowhere else. */
export function allProjections(): Projection[] {
  return [
    geographyProjection,
    workforceProjection,
    stationsProjection,
    householdsProjection,
    visitsProjection,
    assistanceProjection,
    ...communityProjections,
    detectionProjection,
    performanceProjection,
    performanceMetricsProjection,
    reserveFundsProjection,
    officialsProjection,
    // After geography, households and visits: it reads the rows they wrote for the same event.
    scheduleProjection,
    coverageProjection,
  ];
}
