import type { Projection } from './projection';
import { townsProjection } from './towns/towns.projection';

/** Every projection of the service. A new read model is added here and nowhere else. */
export function allProjections(): Projection[] {
  return [townsProjection];
}
