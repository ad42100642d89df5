import { geographyProjection } from './geography/geography.projection';
import type { Projection } from './projection';

/** Every projection of the service. A new read model is added here and nowhere else. */
export function allProjections(): Projection[] {
  return [geographyProjection];
}
