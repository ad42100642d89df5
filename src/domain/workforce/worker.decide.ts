import type { RuleId } from '../shared/rule-messages';
import type { Decider } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { DomainRuleViolation, IllegalStateError } from '../shared/errors';
import { parseNationalId } from '../shared/national-id';
import { assertPeriod, isOpenAt, periodsOverlap } from './period';
import type { WorkerFacts, WorkerLevel } from './worker-facts';
import {
  evolveWorker,
  initialWorkerState,
  type CertificationLevel,
  type KnownWorker,
  type PostingUnit,
  type WorkerEvent,
  type WorkerState,
} from './worker.events';

// ── Commands ─────────────────────────────────────────────────────────────────
/** National ID uniqueness across workers is the application's (e.g. derive workerId from it). */
export type RegisterWorker = {
  type: 'RegisterWorker';
  data: { workerId: string; name: string; level: WorkerLevel; phone: string; nationalId: string; hiredOn: string; now: string };
};

/** `unitStatus`: the town's or village's state, looked up by the application. */
export type PostWorker = {
  type: 'PostWorker';
  data: { workerId: string; unit: PostingUnit; unitStatus: 'active' | 'retired'; from: string; now: string };
};

/** 挂联: a county worker links a town. `townStatus` looked up by the application. */
export type LinkTown = {
  type: 'LinkTown';
  data: { workerId: string; townId: string; townStatus: 'active' | 'retired'; from: string; to: string | null; now: string };
};

export type EndTownLink = {
  type: 'EndTownLink';
  data: { workerId: string; townId: string; to: string; now: string };
};

/** A town worker links a village worker; `villageWorker` looked up by the application. */
export type LinkVillageWorker = {
  type: 'LinkVillageWorker';
  data: { workerId: string; villageWorker: WorkerFacts; from: string; to: string | null; now: string };
};

export type EndVillageWorkerLink = {
  type: 'EndVillageWorkerLink';
  data: { workerId: string; villageWorkerId: string; to: string; now: string };
};

export type RecordCertification = {
  type: 'RecordCertification';
  data: { workerId: string; level: CertificationLevel; certificateNumber: string; certifiedOn: string; now: string };
};

/**
 * End of employment. `responsibleForGroupIds`: groups the worker is still 包保 for, looked up
 * by the application; they must be handed over first (see group-handover.ts).
 */
export type LeaveEmployment = {
  type: 'LeaveEmployment';
  data: { workerId: string; leftOn: string; responsibleForGroupIds: string[]; now: string };
};

export type WorkerCommand =
  RegisterWorker | PostWorker | LinkTown | EndTownLink | LinkVillageWorker | EndVillageWorkerLink | RecordCertification | LeaveEmployment;

/** Mainland mobile (1xxxxxxxxxx) or a landline with area code (0870-1234567). */
const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

/** Nothing happens to a worker who has left: their record is history. */
function requireEmployed(state: WorkerState): KnownWorker {
  if (state.status === 'unregistered') throw new IllegalStateError('worker.not_registered', 'the worker is not registered', state.status, ['employed']);
  if (state.status === 'left') throw new IllegalStateError('worker.left', `worker ${state.workerId} has left`, state.status, ['employed']);
  return state;
}

function requireLevel(worker: KnownWorker, level: WorkerLevel, rule: RuleId, what: string): void {
  if (worker.level !== level) throw new DomainRuleViolation(rule, `only a ${level} worker can ${what}`, { workerId: worker.workerId, level: worker.level });
}

function register(state: WorkerState, data: RegisterWorker['data']): WorkerEvent[] {
  if (state.status !== 'unregistered') {
    throw new DomainRuleViolation('worker.already_registered', `worker ${state.workerId} is already registered`, { workerId: state.workerId });
  }
  const { workerId, name, level, phone, hiredOn, now } = data;
  const nationalId = parseNationalId(data.nationalId);
  if (!nationalId) {
    // Never echo the number back: error bodies end up in logs.
    throw new DomainRuleViolation('worker.national_id_invalid', 'the national ID number is not a valid GB 11643 number', { field: 'nationalId' });
  }
  if (!PHONE.test(phone)) throw new DomainRuleViolation('worker.phone_invalid', 'the phone is not a mainland mobile or landline number', { field: 'phone' });
  return [{ type: 'WorkerRegistered', data: { workerId, name, level, phone, nationalId: nationalId.value, hiredOn, registeredAt: now } }];
}

function post(worker: KnownWorker, data: PostWorker['data']): WorkerEvent[] {
  const fits = (worker.level === 'town' && data.unit.kind === 'town') || (worker.level === 'village' && data.unit.kind === 'village');
  if (!fits) {
    throw new DomainRuleViolation('worker.posting_level_unfit', `a ${worker.level} worker cannot be posted to a ${data.unit.kind}`, {
      workerId: worker.workerId,
      level: worker.level,
      unit: data.unit,
    });
  }
  const current = worker.posting;
  if (current && JSON.stringify(current.unit) === JSON.stringify(data.unit)) return [];
  if (data.unitStatus !== 'active') throw new DomainRuleViolation('worker.posting_unit_retired', `the ${data.unit.kind} is retired`, { unit: data.unit });
  if (current && data.from < current.from) {
    throw new DomainRuleViolation('worker.posting_backdated', `the new posting (${data.from}) cannot start before the current one (${current.from})`, {
      currentFrom: current.from,
      from: data.from,
    });
  }
  const previous = current ? { unit: current.unit, from: current.from, to: data.from } : null;
  return [{ type: 'WorkerPosted', data: { workerId: worker.workerId, unit: data.unit, from: data.from, previous, postedAt: data.now } }];
}

function linkTown(worker: KnownWorker, data: LinkTown['data']): WorkerEvent[] {
  requireLevel(worker, 'county', 'worker.town_link_level_unfit', 'link towns (挂联)');
  if (data.townStatus !== 'active') throw new DomainRuleViolation('worker.town_retired', `town ${data.townId} is retired`, { townId: data.townId });
  assertPeriod(data.from, data.to);
  const clash = worker.townLinks.find((link) => link.townId === data.townId && periodsOverlap(link, data));
  if (clash) {
    throw new DomainRuleViolation('worker.town_already_linked', `town ${data.townId} is already linked from ${clash.from}`, {
      townId: data.townId,
      existing: clash,
    });
  }
  return [{ type: 'TownLinked', data: { workerId: worker.workerId, townId: data.townId, from: data.from, to: data.to, linkedAt: data.now } }];
}

function endTownLink(worker: KnownWorker, data: EndTownLink['data']): WorkerEvent[] {
  const link = worker.townLinks.find((l) => l.townId === data.townId && isOpenAt(l, data.to));
  if (!link)
    throw new DomainRuleViolation('worker.town_link_not_found', `no link to town ${data.townId} runs on ${data.to}`, { townId: data.townId, to: data.to });
  return [{ type: 'TownLinkEnded', data: { workerId: worker.workerId, townId: data.townId, from: link.from, to: data.to, endedAt: data.now } }];
}

function linkVillageWorker(worker: KnownWorker, data: LinkVillageWorker['data']): WorkerEvent[] {
  requireLevel(worker, 'town', 'worker.village_link_level_unfit', 'link village workers');
  const target = data.villageWorker;
  if (target.level !== 'village') {
    throw new DomainRuleViolation('worker.linked_worker_level_unfit', `worker ${target.workerId} is a ${target.level} worker, not a village worker`, {
      villageWorkerId: target.workerId,
      level: target.level,
    });
  }
  if (target.status !== 'employed')
    throw new DomainRuleViolation('worker.linked_worker_left', `worker ${target.workerId} has left`, { villageWorkerId: target.workerId });
  assertPeriod(data.from, data.to);
  const clash = worker.villageWorkerLinks.find((link) => link.villageWorkerId === target.workerId && periodsOverlap(link, data));
  if (clash) {
    throw new DomainRuleViolation('worker.village_worker_already_linked', `worker ${target.workerId} is already linked from ${clash.from}`, {
      villageWorkerId: target.workerId,
      existing: clash,
    });
  }
  return [
    { type: 'VillageWorkerLinked', data: { workerId: worker.workerId, villageWorkerId: target.workerId, from: data.from, to: data.to, linkedAt: data.now } },
  ];
}

function endVillageWorkerLink(worker: KnownWorker, data: EndVillageWorkerLink['data']): WorkerEvent[] {
  const link = worker.villageWorkerLinks.find((l) => l.villageWorkerId === data.villageWorkerId && isOpenAt(l, data.to));
  if (!link) {
    throw new DomainRuleViolation('worker.village_worker_link_not_found', `no link to worker ${data.villageWorkerId} runs on ${data.to}`, {
      villageWorkerId: data.villageWorkerId,
      to: data.to,
    });
  }
  return [
    {
      type: 'VillageWorkerLinkEnded',
      data: { workerId: worker.workerId, villageWorkerId: data.villageWorkerId, from: link.from, to: data.to, endedAt: data.now },
    },
  ];
}

function recordCertification(worker: KnownWorker, data: RecordCertification['data']): WorkerEvent[] {
  const { level, certificateNumber, certifiedOn, now } = data;
  const existing = worker.certifications.find((c) => c.certificateNumber === certificateNumber);
  if (existing) {
    if (existing.level === level && existing.certifiedOn === certifiedOn) return [];
    throw new DomainRuleViolation('worker.certificate_conflict', `certificate ${certificateNumber} is already recorded with other details`, {
      certificateNumber,
      existing,
    });
  }
  return [{ type: 'CertificationRecorded', data: { workerId: worker.workerId, level, certificateNumber, certifiedOn, recordedAt: now } }];
}

function leave(worker: KnownWorker, data: LeaveEmployment['data']): WorkerEvent[] {
  const { leftOn, responsibleForGroupIds, now } = data;
  if (leftOn < worker.hiredOn) {
    throw new DomainRuleViolation('worker.left_before_hired', `leaving on ${leftOn} is before the hire date ${worker.hiredOn}`, {
      hiredOn: worker.hiredOn,
      leftOn,
    });
  }
  if (responsibleForGroupIds.length > 0) {
    throw new DomainRuleViolation(
      'worker.has_open_responsibilities',
      `worker ${worker.workerId} is still responsible for ${responsibleForGroupIds.length} villager group(s); hand them over first`,
      {
        workerId: worker.workerId,
        groupIds: [...responsibleForGroupIds],
      },
    );
  }
  // Links still running past the last day end with it, explicitly, so read models need no inference.
  // A link planned to start after leaving ends on its own start day (an empty period).
  const runsPast = (link: { from: string; to: string | null }) => link.to === null || link.to > leftOn;
  const endOf = (from: string) => (from > leftOn ? from : leftOn);
  const ends: WorkerEvent[] = [
    ...worker.townLinks.filter(runsPast).map((l): WorkerEvent => ({
      type: 'TownLinkEnded',
      data: { workerId: worker.workerId, townId: l.townId, from: l.from, to: endOf(l.from), endedAt: now },
    })),
    ...worker.villageWorkerLinks.filter(runsPast).map((l): WorkerEvent => ({
      type: 'VillageWorkerLinkEnded',
      data: { workerId: worker.workerId, villageWorkerId: l.villageWorkerId, from: l.from, to: endOf(l.from), endedAt: now },
    })),
  ];
  return [...ends, { type: 'WorkerLeft', data: { workerId: worker.workerId, leftOn, recordedAt: now } }];
}

export function decideWorker(command: WorkerCommand, state: WorkerState): WorkerEvent[] {
  switch (command.type) {
    case 'RegisterWorker':
      return register(state, command.data);
    case 'PostWorker':
      return post(requireEmployed(state), command.data);
    case 'LinkTown':
      return linkTown(requireEmployed(state), command.data);
    case 'EndTownLink':
      return endTownLink(requireEmployed(state), command.data);
    case 'LinkVillageWorker':
      return linkVillageWorker(requireEmployed(state), command.data);
    case 'EndVillageWorkerLink':
      return endVillageWorkerLink(requireEmployed(state), command.data);
    case 'RecordCertification':
      return recordCertification(requireEmployed(state), command.data);
    case 'LeaveEmployment':
      return leave(requireEmployed(state), command.data);
    default:
      return assertNever(command);
  }
}

export const workerDecider: Decider<WorkerCommand, WorkerEvent, WorkerState> = {
  decide: decideWorker,
  evolve: evolveWorker,
  initialState: initialWorkerState,
};
