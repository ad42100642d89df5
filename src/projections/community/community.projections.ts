import type { Projection } from '../projection';
import { communityFundsProjection } from './funds.projection';
import { communityServicesProjection } from './services.projection';
import { communityVolunteersProjection } from './volunteers.projection';

/** The community read models, all inline (responses read their own writes). */
export const communityProjections: readonly Projection[] = [communityVolunteersProjection, communityServicesProjection, communityFundsProjection];
