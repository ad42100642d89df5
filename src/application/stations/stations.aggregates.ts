import { stationDecider } from '../../domain/stations/station.decide';
import { stationEvents, stationStreamId } from '../../domain/stations/station.events';
import { defineAggregate } from '../aggregate';

export const stations = defineAggregate({ name: 'station', streamId: stationStreamId, decider: stationDecider, catalog: stationEvents });
