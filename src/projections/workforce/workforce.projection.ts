import { sql } from 'kysely';
import type { MentoringPairEvent } from '../../domain/workforce/mentoring-pair.events';
import type { TrainingSessionEvent } from '../../domain/workforce/training-session.events';
import type { WorkerEvent } from '../../domain/workforce/worker.events';
import type { Db } from '../../storage/database';
import { townIdOfVillage } from '../geography/places.queries';
import { typedProjection } from '../typed-projection';

type WorkforceEvent = WorkerEvent | TrainingSessionEvent | MentoringPairEvent;
type LinkKind = 'county_town_link' | 'town_worker_link';

const CERT_RANK = { assistant: 1, social_worker: 2, senior: 3 } as const;

const linkId = (kind: LinkKind, workerId: string, targetId: string, from: string) => `${kind}:${workerId}:${targetId}:${from}`;

async function touch(trx: Db, workerId: string, version: number, at: string): Promise<void> {
  await trx
    .updateTable('rm_workers')
    .set((eb) => ({ version: eb.fn('greatest', ['version', eb.val(version)]), updated_at: at }))
    .where('id', '=', workerId)
    .execute();
}

async function link(trx: Db, kind: LinkKind, d: { workerId: string; from: string; to: string | null }, target: string): Promise<void> {
  await trx
    .insertInto('rm_worker_links')
    .values({ id: linkId(kind, d.workerId, target, d.from), kind, worker_id: d.workerId, target_id: target, from_date: d.from, to_date: d.to })
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ to_date: eb.ref('excluded.to_date') })))
    .execute();
}

async function endLink(trx: Db, kind: LinkKind, d: { workerId: string; from: string; to: string }, target: string): Promise<void> {
  await trx
    .updateTable('rm_worker_links')
    .set({ to_date: d.to })
    .where('id', '=', linkId(kind, d.workerId, target, d.from))
    .execute();
}

/**
 * Workers, their postings, links (挂联), certifications, training sessions and mentoring pairs.
 * Inline: commands look workers up here (level, employment) and responses show the result.
 */
export const workforceProjection = typedProjection<WorkforceEvent>({
  name: 'workforce',
  mode: 'inline',
  tables: ['rm_workers', 'rm_certifications', 'rm_training_sessions', 'rm_training_attendance', 'rm_mentoring', 'rm_worker_links'],
  handlers: {
    async WorkerRegistered(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_workers')
        .values({
          id: d.workerId,
          name: d.name,
          level: d.level,
          phone: d.phone,
          id_number: d.nationalId,
          hired_on: d.hiredOn,
          status: 'employed',
          version,
          updated_at: recordedAt,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async WorkerPosted(trx, { data: { unit, workerId, from }, version, recordedAt }) {
      await trx
        .updateTable('rm_workers')
        .set(
          unit.kind === 'town'
            ? { town_id: unit.townId, village_id: null, posted_from: from }
            : { village_id: unit.villageId, posted_from: from, town_id: townIdOfVillage(trx, unit.villageId) },
        )
        .where('id', '=', workerId)
        .execute();
      await touch(trx, workerId, version, recordedAt);
    },
    async TownLinked(trx, { data: d, version, recordedAt }) {
      await link(trx, 'county_town_link', d, d.townId);
      await touch(trx, d.workerId, version, recordedAt);
    },
    async VillageWorkerLinked(trx, { data: d, version, recordedAt }) {
      await link(trx, 'town_worker_link', d, d.villageWorkerId);
      await touch(trx, d.workerId, version, recordedAt);
    },
    async TownLinkEnded(trx, { data: d, version, recordedAt }) {
      await endLink(trx, 'county_town_link', d, d.townId);
      await touch(trx, d.workerId, version, recordedAt);
    },
    async VillageWorkerLinkEnded(trx, { data: d, version, recordedAt }) {
      await endLink(trx, 'town_worker_link', d, d.villageWorkerId);
      await touch(trx, d.workerId, version, recordedAt);
    },
    async CertificationRecorded(trx, { data: d, version, recordedAt }) {
      await trx
        .insertInto('rm_certifications')
        .values({ worker_id: d.workerId, level: d.level, certificate_number: d.certificateNumber, certified_on: d.certifiedOn })
        .onConflict((oc) => oc.doNothing())
        .execute();
      // The highest certificate held is what the certification rate counts.
      await trx
        .updateTable('rm_workers')
        .set({ certification_level: d.level })
        .where('id', '=', d.workerId)
        .where((eb) =>
          eb.or([
            eb('certification_level', 'is', null),
            eb(sql<number>`case certification_level when 'assistant' then 1 when 'social_worker' then 2 else 3 end`, '<', CERT_RANK[d.level]),
          ]),
        )
        .execute();
      await touch(trx, d.workerId, version, recordedAt);
    },
    async WorkerLeft(trx, { data: d, version, recordedAt }) {
      await trx.updateTable('rm_workers').set({ status: 'left', left_on: d.leftOn }).where('id', '=', d.workerId).execute();
      await touch(trx, d.workerId, version, recordedAt);
    },
    async TrainingSessionRecorded(trx, { data: d, version }) {
      await trx
        .insertInto('rm_training_sessions')
        .values({ id: d.sessionId, title: d.title, held_on: d.heldOn, kind: d.kind, version })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async TrainingAttendanceRecorded(trx, { data: d, version }) {
      for (const workerId of d.workerIds) {
        await trx
          .insertInto('rm_training_attendance')
          .values({ session_id: d.sessionId, worker_id: workerId })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      await trx
        .updateTable('rm_training_sessions')
        .set((eb) => ({ version: eb.fn('greatest', ['version', eb.val(version)]) }))
        .where('id', '=', d.sessionId)
        .execute();
    },
    async MentoringPairFormed(trx, { data: d }) {
      await trx
        .insertInto('rm_mentoring')
        .values({ id: d.pairId, mentor_id: d.mentorId, mentee_id: d.menteeId, from_date: d.from, to_date: d.to })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async MentoringPairEnded(trx, { data: d }) {
      await trx.updateTable('rm_mentoring').set({ to_date: d.to }).where('id', '=', d.pairId).execute();
    },
  },
});
