import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpLoadClient } from '../../bench/http-load/http-client';
import { HTTP_CHAPTERS, loadCountyOverHttp, type HttpChapter } from '../../bench/http-load/county-over-http';
import { demoChapters } from '../../src/demo/chapters/index';
import { runCounty } from '../../src/demo/seed';
import { DEFAULT_DEMO_SEED, DEMO_COUNTY_CODE } from '../../src/demo/seed-constants';
import type { Db } from '../../src/application/db';
import { startTestApp, type TestApp } from '../support/test-app';
import { loadScale } from '../support/load-scale';
import { availableBackends } from '../support/test-database';

/**
 * The HTTP loader of `npm run bench:load-http` (issue 20) at tiny scale: through the public API
 * alone it loads the same county as the generator's chapters through the application services —
 * the same read models and the same events, chapter for chapter: the world (map, workforce,
 * households, visits) and the story (the year's assistance cases, the imports of other
 * departments' data, the community's volunteers, projects and donations, the workers' assessments). Ids the service draws differ between the
 * two loads (workers, households, people, and so cases): counts are compared, not ids.
 */
const SLOW = 300_000 * loadScale();
const COUNTY_TODAY = '2023-12-20T02:00:00.000Z';

/** What the read models hold after a load, and the log's events by type. */
async function contents(db: Db) {
  const count = async (table: string, where = 'true') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${sql.raw(where)}`.execute(db)).rows[0]!.n);
  const one = async (query: string) => Number((await sql<{ n: string | null }>`${sql.raw(query)}`.execute(db)).rows[0]!.n ?? 0);
  /** Rows by a column's value: `{ granted: 3, denied: 1 }`. */
  const byValue = async (table: string, column: string) =>
    Object.fromEntries(
      (
        await sql<{ v: string; n: string }>`select ${sql.ref(column)}::text as v, count(*) as n from ${sql.table(table)} group by 1 order by 1`.execute(db)
      ).rows.map((r) => [r.v, Number(r.n)]),
    );
  const events = await sql<{ type: string; n: string }>`select type, count(*) as n from es_events group by type order by type`.execute(db);
  return {
    readModels: {
      towns: await count('rm_towns'),
      villages: await count('rm_villages'),
      groups: await count('rm_groups'),
      stations: await count('rm_stations'),
      openStations: await count('rm_stations', "status = 'open'"),
      workers: await count('rm_workers'),
      certifications: await count('rm_certifications'),
      workerLinks: await count('rm_worker_links'),
      responsibilities: await count('rm_group_responsibilities'),
      trainingSessions: await count('rm_training_sessions'),
      attendance: await count('rm_training_attendance'),
      mentoring: await count('rm_mentoring'),
      officials: await count('rm_officials'),
      households: await count('rm_households'),
      members: await count('rm_household_members'),
      specialMemberships: await count('rm_special_memberships'),
      visits: await count('rm_visits'),
      lateVisits: await count('rm_visits', 'late'),
      groupVisits: await count('rm_visits', 'household_id is null'),
    },
    assistance: {
      calendars: await count('rm_calendars'),
      policyVersions: await count('rm_policy_versions'),
      casesByProgram: await byValue('rm_cases', 'program'),
      casesByStatus: await byValue('rm_cases', 'status'),
      casesByChannel: await byValue('rm_cases', 'channel'),
      acceptedCases: await count('rm_cases', 'accepted_on is not null'),
      refusalsNotified: await count('rm_cases', 'refusal_notified_on is not null'),
      startedByWorker: await count('rm_cases', 'started_by_worker_id is not null'),
      decisionsByOutcome: await byValue('rm_decisions', 'outcome'),
      decisionsByKind: await byValue('rm_decisions', 'kind'),
      decidedByRole: await byValue('rm_decisions', 'decided_by_role'),
      paymentsInForce: await count('rm_case_payments'),
      paymentsByKind: await byValue('rm_case_paid', 'kind'),
      paidFen: await one('select sum(fen)::text as n from rm_case_paid'),
      casesPaidFen: await one('select sum(paid_fen)::text as n from rm_cases'),
      reserveMovements: await byValue('rm_reserve_fund_movements', 'kind'),
      reserveFen: await one('select sum(fen)::text as n from rm_reserve_fund_movements'),
    },
    detection: {
      // Ids the service derives from an import's content (imports, and their findings and tasks): the same on both loads.
      imports: (
        await sql<{ id: string; source: string; rows: number; rejected: number; findings: number }>`
        select id, source, row_count as rows, rejected, findings_raised as findings from rm_detection_imports order by id`.execute(db)
      ).rows,
      findings: (
        await sql<{ id: string; cause: string; status: string; outcome: string | null; outcome_on: string | null; matched: boolean }>`
        select id, cause, status, outcome, outcome_on::text, matched from rm_detection_findings order by id`.execute(db)
      ).rows,
      observations: await count('rm_detection_observations'),
      rejections: await count('rm_detection_rejections'),
    },
    community: {
      teams: await byValue('rm_volunteer_teams', 'kind'),
      volunteers: await count('rm_volunteers'),
      memberships: await count('rm_volunteer_team_members'),
      mobilisable: await one('select sum(count)::text as n from rm_mobilisable_counts'),
      projects: await byValue('rm_community_projects', 'kind'),
      spentFen: await one('select sum(spent_fen)::text as n from rm_community_projects'),
      donations: await byValue('rm_donations', 'donor_kind'),
      allocatedFen: await one('select sum(allocated_fen)::text as n from rm_donations'),
      allocations: await count('rm_donation_allocations'),
      services: await count('rm_volunteer_services'),
      serviceMinutes: await one('select sum(minutes)::text as n from rm_volunteer_service_minutes'),
      householdsServed: await count('rm_volunteer_service_households'),
    },
    performance: {
      assessmentsByPeriod: await byValue('rm_assessments', 'period'),
      corrections: await count('rm_assessments', 'correction_reason is not null'),
      publications: await byValue('rm_performance_publications', 'period'),
      outcomes: await byValue('rm_performance_outcomes', 'outcome'),
    },
    // The generator's completion markers are its own bookkeeping, not the county's.
    events: Object.fromEntries(events.rows.filter((r) => r.type !== 'DemoChapterCompleted').map((r) => [r.type, Number(r.n)])),
  };
}

const backends = await availableBackends();

describe.each(backends)('the tiny county loaded over HTTP on %s', (backend) => {
  let overHttp: TestApp;
  let inProcess: TestApp;
  /** What each load left, read once both are loaded. */
  let http: Awaited<ReturnType<typeof contents>>;
  let generated: Awaited<ReturnType<typeof contents>>;
  const perChapter: { chapter: HttpChapter; requests: number }[] = [];

  beforeAll(async () => {
    overHttp = await startTestApp({ backend });
    inProcess = await startTestApp({ backend });
    const address = await overHttp.app.listen({ port: 0, host: '127.0.0.1' });
    await loadCountyOverHttp({
      client: new HttpLoadClient(address, 4),
      scale: 'tiny',
      seed: DEFAULT_DEMO_SEED,
      sign: (sub, role) => overHttp.token(role, sub),
      setToday: (day) => overHttp.clock.set(`${day}T01:00:00.000Z`),
      afterChapter: async (chapter, requests) => void perChapter.push({ chapter, requests }),
    });
    overHttp.clock.set(COUNTY_TODAY);
    const chapters = demoChapters.filter((c) => (HTTP_CHAPTERS as readonly string[]).includes(c.name));
    await runCounty(inProcess.service, { scale: 'tiny', seed: DEFAULT_DEMO_SEED, countyCode: DEMO_COUNTY_CODE, progress: () => undefined }, chapters);
    for (const t of [overHttp, inProcess]) await t.service.deps.projections.catchUp();
    http = await contents(overHttp.service.deps.database.db);
    generated = await contents(inProcess.service.deps.database.db);
  }, SLOW);
  afterAll(async () => {
    await overHttp?.close();
    await inProcess?.close();
  });

  it('holds the same assistance year: cases by program and state, decisions, payments and the towns’ reserve funds', async () => {
    expect(http.assistance).toEqual(generated.assistance);
    // The tiny county's tour: every state of the procedure, every program, and the stories.
    expect(Object.keys(http.assistance.casesByProgram).sort()).toEqual(['dibao', 'orphan', 'tekun', 'temporary', 'unsupported_child']);
    expect(Object.keys(http.assistance.casesByStatus).sort()).toEqual(
      [
        'accepted',
        'applied',
        'checked',
        'closed',
        'denied',
        'emergency_granted',
        'granted',
        'in_notice',
        'investigating',
        'returned',
        'stopped',
        'submitted',
      ].sort(),
    );
    // Each step sent by the person the story names, with their own token: town officials and the
    // bureau officer confirm, town workers start proactive and emergency cases.
    expect(Object.keys(http.assistance.decidedByRole).sort()).toEqual(['civil_affairs_officer', 'town_official']);
    expect(http.assistance.startedByWorker).toBeGreaterThan(0);
    expect(http.assistance.paidFen).toBeGreaterThan(0);
    expect(http.assistance.casesPaidFen).toBe(http.assistance.paidFen);
  });

  it('holds the same imports of other departments’ data: the same findings, answered the same way on the same days', async () => {
    expect(http.detection).toEqual(generated.detection);
    expect(http.detection.imports.length).toBeGreaterThan(5);
    expect(http.detection.rejections).toBeGreaterThan(0);
    const outcomes = new Set(http.detection.findings.map((f) => f.outcome));
    // Referred, no need, and the fire households enrolled with their case; some still open.
    expect([...outcomes].sort()).toEqual(expect.arrayContaining(['no_need', 'referred', 'visited_enrolled', null]));
  });

  it('holds the same community: teams, volunteers, projects, donations and where they went, service minutes', async () => {
    expect(http.community).toEqual(generated.community);
    expect(http.community.volunteers).toBe(24);
    expect(http.community.allocations).toBeGreaterThan(0);
    expect(http.community.serviceMinutes).toBeGreaterThan(0);
  });

  it('holds the same assessments: both halves scored, the first corrected once and published, its rewards recorded', async () => {
    expect(http.performance).toEqual(generated.performance);
    // Five workers in the tiny county, each scored for both halves, one score corrected.
    expect(http.performance).toMatchObject({ assessmentsByPeriod: { '2023-H1': 6, '2023-H2': 5 }, corrections: 1, publications: { '2023-H1': 1 } });
  });

  it('holds the same households, groups, workers, stations and visits as the generator loads', async () => {
    expect(http.readModels).toEqual(generated.readModels);
    expect(http.readModels).toMatchObject({ towns: 1, villages: 2, groups: 6, workers: 5, households: 30 });
    expect(http.readModels.visits).toBeGreaterThan(50);
    expect(http.readModels.specialMemberships).toBeGreaterThan(0);
  });

  it('appends the same events, type by type', async () => {
    expect(http.events).toEqual(generated.events);
  });

  it('sends each chapter as its front ends would: the map in one import, a village’s survey of a day together, a worker’s day of visits in one sync', async () => {
    expect(perChapter.map((c) => c.chapter)).toEqual([...HTTP_CHAPTERS]);
    const requests = Object.fromEntries(perChapter.map((c) => [c.chapter, c.requests]));
    // The map in one import, then a plan and six standard items for each of the three stations (two open).
    expect(requests.geography).toBeGreaterThan(1 + 3 * 7);
    const db = overHttp.service.deps.database.db;
    const one = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(db)).rows[0]!.n);
    const surveys = await one(
      sql<{ n: string }>`select count(distinct (g.village_id, h.registered_on)) as n from rm_households h join rm_groups g on g.id = h.group_id`,
    );
    const memberships = await one(sql<{ n: string }>`select count(*) as n from rm_special_memberships`);
    expect(requests.households).toBe(surveys + memberships);
    expect(surveys).toBeLessThan(30);
    const days = await one(sql<{ n: string }>`select count(distinct (worker_id, (recorded_at at time zone 'Asia/Shanghai')::date)) as n from rm_visits`);
    expect(requests.visits).toBe(days);
  });
});
