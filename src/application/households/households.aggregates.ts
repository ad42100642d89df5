import { householdDecider } from '../../domain/households/household.decide';
import { householdEvents, householdStreamId } from '../../domain/households/household.events';
import { defineAggregate } from '../aggregate';

export const households = defineAggregate({ name: 'household', streamId: householdStreamId, decider: householdDecider, catalog: householdEvents });
