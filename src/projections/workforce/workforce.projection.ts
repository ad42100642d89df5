import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '../../application/event-store';
import type { MentoringPairEvent } from '../../domain/workforce/mentoring-pair.events';
import type { TrainingSessionEvent } from '../../domain/workforce/training-session.events';
import type { WorkerEvent } from '../../domain/workforce/worker.events';
import type { Projection } from '../projection';

type WorkforceEvent = WorkerEvent | TrainingSessionEvent | MentoringPairEvent;

const CERT_RANK = { assistant: 1, social_worker: 2, senior: 3 } as const;

/**
 * Workers, their postings, links (挂联), certifications, training sessions and mentoring pairs.
 * Inline: commands look workers up here (level, employment) and responses show the result.
 */
export const workforceProjection: Projection = {
  name: 'workforce',
  mode: 'inline',
  handles: [
    'WorkerRegistered',
    'WorkerPosted',
    'TownLinked',
    'TownLinkEnded',
    'VillageWorkerLinked',
    'VillageWorkerLinkEnded',
    'CertificationRecorded',
    'WorkerLeft',
    'TrainingSessionRecorded',
    'TrainingAttendanceRecorded',
    'MentoringPairFormed',
    'MentoringPairEnded',
  ],
  tables: ['rm_workers', 'rm_certifications', 'rm_training_sessions', 'rm_training_attendance', 'rm_mentoring', 'rm_worker_links'],
  async apply(trx: Kysely<any>, events: readonly RecordedEvent[]) {
    for (const event of events) await applyOne(trx, event as unknown as WorkforceEvent & RecordedEvent);
  },
};

const linkId = (kind: string, workerId: string, targetId: string, from: string) => `${kind}:${workerId}:${targetId}:${from}`;

async function touch(trx: Kysely<any>, workerId: string, version: number, at: string): Promise<void> {
  await sql`update rm_workers set version = greatest(version, ${version}), updated_at = ${at} where id = ${workerId}`.execute(trx);
}

async function applyOne(trx: Kysely<any>, event: WorkforceEvent & Pick<RecordedEvent, 'version' | 'recordedAt'>): Promise<void> {
  const { version, recordedAt } = event;
  switch (event.type) {
    case 'WorkerRegistered': {
      const d = event.data;
      await sql`
        insert into rm_workers (id, name, level, phone, id_number, hired_on, status, version, updated_at)
        values (${d.workerId}, ${d.name}, ${d.level}, ${d.phone}, ${d.nationalId}, ${d.hiredOn}, 'employed', ${version}, ${recordedAt})
        on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'WorkerPosted': {
      const { unit, workerId, from } = event.data;
      if (unit.kind === 'town') {
        await sql`update rm_workers set town_id = ${unit.townId}, village_id = null, posted_from = ${from} where id = ${workerId}`.execute(trx);
      } else {
        await sql`update rm_workers set village_id = ${unit.villageId}, posted_from = ${from},
                  town_id = (select town_id from rm_villages where id = ${unit.villageId}) where id = ${workerId}`.execute(trx);
      }
      return touch(trx, workerId, version, recordedAt);
    }
    case 'TownLinked':
    case 'VillageWorkerLinked': {
      const d = event.data;
      const kind = event.type === 'TownLinked' ? 'county_town_link' : 'town_worker_link';
      const target = event.type === 'TownLinked' ? event.data.townId : event.data.villageWorkerId;
      await sql`
        insert into rm_worker_links (id, kind, worker_id, target_id, from_date, to_date)
        values (${linkId(kind, d.workerId, target, d.from)}, ${kind}, ${d.workerId}, ${target}, ${d.from}, ${d.to})
        on conflict (id) do update set to_date = excluded.to_date`.execute(trx);
      return touch(trx, d.workerId, version, recordedAt);
    }
    case 'TownLinkEnded':
    case 'VillageWorkerLinkEnded': {
      const d = event.data;
      const kind = event.type === 'TownLinkEnded' ? 'county_town_link' : 'town_worker_link';
      const target = event.type === 'TownLinkEnded' ? event.data.townId : event.data.villageWorkerId;
      await sql`update rm_worker_links set to_date = ${d.to} where id = ${linkId(kind, d.workerId, target, d.from)}`.execute(trx);
      return touch(trx, d.workerId, version, recordedAt);
    }
    case 'CertificationRecorded': {
      const d = event.data;
      await sql`
        insert into rm_certifications (worker_id, level, certificate_number, certified_on)
        values (${d.workerId}, ${d.level}, ${d.certificateNumber}, ${d.certifiedOn})
        on conflict do nothing`.execute(trx);
      // The highest certificate held is what the certification rate counts.
      await sql`
        update rm_workers set certification_level = ${d.level}
        where id = ${d.workerId} and (certification_level is null or
          (case certification_level when 'assistant' then 1 when 'social_worker' then 2 else 3 end) < ${CERT_RANK[d.level]})`.execute(trx);
      return touch(trx, d.workerId, version, recordedAt);
    }
    case 'WorkerLeft':
      await sql`update rm_workers set status = 'left', left_on = ${event.data.leftOn} where id = ${event.data.workerId}`.execute(trx);
      return touch(trx, event.data.workerId, version, recordedAt);
    case 'TrainingSessionRecorded': {
      const d = event.data;
      await sql`insert into rm_training_sessions (id, title, held_on, kind, version) values (${d.sessionId}, ${d.title}, ${d.heldOn}, ${d.kind}, ${version})
                on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'TrainingAttendanceRecorded': {
      const d = event.data;
      for (const workerId of d.workerIds) {
        await sql`insert into rm_training_attendance (session_id, worker_id) values (${d.sessionId}, ${workerId}) on conflict do nothing`.execute(trx);
      }
      await sql`update rm_training_sessions set version = greatest(version, ${version}) where id = ${d.sessionId}`.execute(trx);
      return;
    }
    case 'MentoringPairFormed': {
      const d = event.data;
      await sql`insert into rm_mentoring (id, mentor_id, mentee_id, from_date, to_date) values (${d.pairId}, ${d.mentorId}, ${d.menteeId}, ${d.from}, ${d.to})
                on conflict (id) do nothing`.execute(trx);
      return;
    }
    case 'MentoringPairEnded':
      await sql`update rm_mentoring set to_date = ${event.data.to} where id = ${event.data.pairId}`.execute(trx);
      return;
  }
}
