import { z } from 'zod';
import { assertNever, type Decider } from '../shared/decider';
import type { EventCatalog } from '../shared/event-schemas';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';

/**
 * Government officials the law names for confirmation (审核确认): an officer of the county
 * civil-affairs bureau (县民政局), or of a town government (乡镇人民政府) in one town. They are
 * not contracted social workers: their appointment, not a worker posting, gives their jurisdiction.
 */
const Day = z.iso.date();
export const OfficialRoleSchema = z.enum(['civil_affairs_officer', 'town_official']);
export const OfficialAppointedSchema = z.object({
  officialId: z.string().uuid(),
  name: z.string().min(1),
  role: OfficialRoleSchema,
  townId: z.string().uuid().nullable(),
  from: Day,
  appointedAt: z.string().datetime(),
});
export const OfficialAppointmentEndedSchema = z.object({ officialId: z.string().uuid(), to: Day, endedAt: z.string().datetime() });

export type OfficialEvent =
  | { type: 'OfficialAppointed'; data: z.infer<typeof OfficialAppointedSchema> }
  | { type: 'OfficialAppointmentEnded'; data: z.infer<typeof OfficialAppointmentEndedSchema> };
export const officialEvents = {
  OfficialAppointed: { schema: OfficialAppointedSchema, version: 1 },
  OfficialAppointmentEnded: { schema: OfficialAppointmentEndedSchema, version: 1 },
} satisfies EventCatalog;

export type OfficialState = { status: 'none' } | { status: 'appointed' | 'ended'; appointment: z.infer<typeof OfficialAppointedSchema>; to: string | null };

export type OfficialCommand =
  | { type: 'Appoint'; data: Omit<z.infer<typeof OfficialAppointedSchema>, 'appointedAt'> & { now: string } }
  | { type: 'EndAppointment'; data: { to: string; now: string } };

export function decideOfficial(command: OfficialCommand, state: OfficialState): OfficialEvent[] {
  switch (command.type) {
    case 'Appoint': {
      if (state.status !== 'none') throw new IllegalStateError('official.already_appointed', '该工作人员已登记', state.status, ['EndAppointment']);
      const { now, ...d } = command.data;
      if (d.role === 'town_official' && !d.townId) throw new DomainRuleViolation('official.town_required', '乡镇人民政府工作人员须指定所在乡镇');
      if (d.role === 'civil_affairs_officer' && d.townId)
        throw new DomainRuleViolation('official.county_has_no_town', '县民政局工作人员的管辖为全县，不指定乡镇');
      return [{ type: 'OfficialAppointed', data: { ...d, appointedAt: now } }];
    }
    case 'EndAppointment': {
      if (state.status !== 'appointed')
        throw new IllegalStateError('official.not_appointed', '该工作人员当前没有任职', state.status, state.status === 'none' ? ['Appoint'] : []);
      if (command.data.to < state.appointment.from)
        throw new DomainRuleViolation('official.end_before_start', '任职结束日期早于开始日期', { from: state.appointment.from });
      return [{ type: 'OfficialAppointmentEnded', data: { officialId: state.appointment.officialId, to: command.data.to, endedAt: command.data.now } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveOfficial(state: OfficialState, event: OfficialEvent): OfficialState {
  switch (event.type) {
    case 'OfficialAppointed':
      return { status: 'appointed', appointment: event.data, to: null };
    case 'OfficialAppointmentEnded':
      return state.status === 'none' ? state : { ...state, status: 'ended', to: event.data.to };
    default:
      return assertNever(event);
  }
}

export const officialDecider: Decider<OfficialCommand, OfficialEvent, OfficialState> = {
  decide: decideOfficial,
  evolve: evolveOfficial,
  initialState: () => ({ status: 'none' }),
};
export const officialStreamId = (id: string) => `official-${id}`;
