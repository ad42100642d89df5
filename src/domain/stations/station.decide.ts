import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { STANDARD_ITEM_LABELS, unmetItems, type StandardItem } from './standard';
import { evolveStation, initialStationState, type KnownStation, type StationEvent, type StationState, type StationUnit } from './station.events';

// ── Commands ─────────────────────────────────────────────────────────────────
/**
 * `unitStatus`: the town's or village's state, looked up by the application. One station per
 * unit is the application's to guarantee, e.g. by deriving `stationId` from the unit id.
 */
export type PlanStation = {
  type: 'PlanStation';
  data: { stationId: string; unit: StationUnit; unitStatus: 'active' | 'retired'; name: string; now: string };
};

export type RecordStandardItemMet = {
  type: 'RecordStandardItemMet';
  data: { stationId: string; item: StandardItem; note: string; metOn: string; now: string };
};

export type RecordStandardItemUnmet = {
  type: 'RecordStandardItemUnmet';
  data: { stationId: string; item: StandardItem; note: string; now: string };
};

export type OpenStation = {
  type: 'OpenStation';
  data: { stationId: string; openedOn: string; now: string };
};

export type RateStationQuality = {
  type: 'RateStationQuality';
  data: { stationId: string; ratedOn: string; note: string; now: string };
};

export type StationCommand = PlanStation | RecordStandardItemMet | RecordStandardItemUnmet | OpenStation | RateStationQuality;

function requireKnown(state: StationState): KnownStation {
  if (state.status === 'unplanned') throw new IllegalStateError('station.not_planned', 'the station is not planned', state.status, ['planned', 'operating']);
  return state;
}

function assertStandardMet(station: KnownStation, action: string): void {
  const unmet = unmetItems(station.checklist);
  if (unmet.length === 0) return;
  throw new DomainRuleViolation('station.standard_unmet', `cannot ${action}: unmet ${unmet.map((item) => STANDARD_ITEM_LABELS[item]).join('、')}`, {
    stationId: station.stationId,
    unmetItems: unmet,
  });
}

export function decideStation(command: StationCommand, state: StationState): StationEvent[] {
  switch (command.type) {
    case 'PlanStation': {
      if (state.status !== 'unplanned') {
        throw new DomainRuleViolation('station.already_planned', `station ${state.stationId} already exists`, { stationId: state.stationId });
      }
      const { stationId, unit, unitStatus, name, now } = command.data;
      if (unitStatus !== 'active') {
        throw new DomainRuleViolation('station.unit_retired', `the ${unit.kind} this station would serve is retired`, { unit });
      }
      const kind = unit.kind === 'town' ? 'town_station' : 'service_point';
      return [{ type: 'StationPlanned', data: { stationId, kind, unit, name, plannedAt: now } }];
    }
    case 'RecordStandardItemMet': {
      const station = requireKnown(state);
      const { item, note, metOn, now } = command.data;
      const current = station.checklist[item];
      if (current.met && current.note === note && current.on === metOn) return [];
      return [{ type: 'StandardItemMet', data: { stationId: station.stationId, item, note, metOn, recordedAt: now } }];
    }
    case 'RecordStandardItemUnmet': {
      // Allowed after opening too: the standard gates opening, it does not close a station.
      const station = requireKnown(state);
      const { item, note, now } = command.data;
      if (!station.checklist[item].met) return [];
      return [{ type: 'StandardItemUnmet', data: { stationId: station.stationId, item, note, recordedAt: now } }];
    }
    case 'OpenStation': {
      const station = requireKnown(state);
      if (station.status === 'operating') {
        throw new IllegalStateError('station.already_operating', `station ${station.stationId} is already operating`, station.status, ['planned']);
      }
      assertStandardMet(station, 'open the station');
      return [{ type: 'StationOpened', data: { stationId: station.stationId, openedOn: command.data.openedOn, openedAt: command.data.now } }];
    }
    case 'RateStationQuality': {
      const station = requireKnown(state);
      if (station.kind !== 'town_station') {
        throw new DomainRuleViolation('station.quality_town_only', 'only a town station can be rated 优质', {
          stationId: station.stationId,
          kind: station.kind,
        });
      }
      if (station.status !== 'operating') {
        throw new IllegalStateError('station.not_operating', `station ${station.stationId} is not operating yet`, station.status, ['operating']);
      }
      // A station that slipped below the standard since opening is not rated 优质.
      assertStandardMet(station, 'rate the station 优质');
      if (station.quality) return [];
      return [
        {
          type: 'StationRatedQuality',
          data: { stationId: station.stationId, ratedOn: command.data.ratedOn, note: command.data.note, ratedAt: command.data.now },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export const stationDecider: Decider<StationCommand, StationEvent, StationState> = {
  decide: decideStation,
  evolve: evolveStation,
  initialState: initialStationState,
};
