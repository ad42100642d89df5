import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START } from '../../src/application/event-store';
import { casesChapter } from '../../src/demo/chapters/cases';
import { demoChapters } from '../../src/demo/chapters/index';
import type { DemoWorld } from '../../src/demo/context';
import { demoContext, runDemoSeed } from '../../src/demo/seed';
import { expectStatus } from '../support/api-expect';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 15, the county's assistance stories, found through the public API as a user would: the
 * fire of 2023-06-08, the 低保 clock across the National Day holiday, the refusal with reasons,
 * the objection during the notice period; then every program and state, and a second run of
 * the chapter that appends nothing.
 */
describe('demo county: the assistance stories', () => {
  let t: TestApp;
  let world: DemoWorld;
  let summary: Record<string, number>;
  let importCounts: Record<string, number>;
  let communityCounts: Record<string, number>;
  let assessmentCounts: Record<string, number>;
  let auditor: Record<string, string>;
  const get = async (url: string) => expectStatus(t.app.inject({ method: 'GET', url, headers: auditor }));
  const story = (key: string) => {
    const id = world.stories[key];
    expect(id, key).toBeTruthy();
    return id!;
  };

  beforeAll(async () => {
    t = await startTestApp({ backend: 'pglite' });
    const seeded = await runDemoSeed(t.service, { scale: 'tiny' });
    world = seeded.world;
    summary = seeded.chapters.find((c) => c.chapter === 'cases')!.counts;
    importCounts = seeded.chapters.find((c) => c.chapter === 'imports')!.counts;
    communityCounts = seeded.chapters.find((c) => c.chapter === 'community')!.counts;
    assessmentCounts = seeded.chapters.find((c) => c.chapter === 'assessments')!.counts;
    auditor = bearer(t.token('auditor'));
  }, 300_000);
  afterAll(async () => t?.close());

  it('the fire of 2023-06-08: a 临时救助 emergency grant by the town the same day, paid once, completed later', async () => {
    const fire = story('fireCaseId');
    expect(story('fireCaseIds').split(',')).toHaveLength(4);
    const c = await get(`/api/v1/cases/${fire}`);
    expect(c).toMatchObject({
      program: 'temporary',
      channel: 'emergency',
      status: 'closed',
      householdId: story('fireHouseholdId'),
      appliedOn: '2023-06-08',
      paidFen: 200_000,
    });

    const decisions = (await get(`/api/v1/decisions?case=${fire}`)).items;
    expect(decisions.map((d: any) => [d.kind, d.outcome, d.decisionDate])).toEqual([
      ['emergency_grant', 'granted', '2023-06-08'],
      ['emergency_completion', 'granted', '2023-06-13'],
    ]);
    // The list's rows are lean (issue 20): the facts and rules are on the decision's own route.
    const grant = await get(`/api/v1/decisions/${decisions[0].decisionId}`);
    expect(decisions[0].payment).toEqual(grant.payment);
    expect(grant.payment).toEqual({ kind: 'one_off', fen: 200_000, on: '2023-06-08' });
    expect(grant.policy.id).toBe('suijiang-2023');
    expect(grant.policy.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(grant.decidedBy.role).toBe('town_official');
    expect(grant.facts).toMatchObject({ cause: 'fire', occurredOn: '2023-06-08', emergency: true, requestedFen: 200_000 });
    expect(grant.eligibility.rules.map((r: any) => [r.id, r.passed])).toEqual([
      ['temporary.cause_qualifies', true],
      ['temporary.hardship_occurred', true],
    ]);
    // The completion confirms the money already paid: no second payment.
    expect(decisions[1].payment).toBeNull();
    const payments = (await get(`/api/v1/cases/${fire}/payments`)).items;
    expect(payments).toEqual([expect.objectContaining({ kind: 'one_off', fen: 200_000, paidOn: '2023-06-08' })]);
  });

  it('the 低保 clock: the statutory deadline skips the National Day holiday and counts the 调休 weekend', async () => {
    const c = await get(`/api/v1/cases/${story('holidayCaseId')}`);
    expect(c.acceptedOn).toBe('2023-09-15');
    // 25 working days counted by hand: weekdays, minus 29 Sep–6 Oct, plus Saturday 7 and Sunday 8 October.
    const holidays = new Set(['2023-09-29', '2023-09-30', '2023-10-01', '2023-10-02', '2023-10-03', '2023-10-04', '2023-10-05', '2023-10-06']);
    const swapped = new Set(['2023-10-07', '2023-10-08']);
    let day = new Date('2023-09-15T00:00:00Z');
    let counted = 0;
    const worked: string[] = [];
    while (counted < 25) {
      day = new Date(day.getTime() + 86_400_000);
      const iso = day.toISOString().slice(0, 10);
      const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
      if (swapped.has(iso) || (!weekend && !holidays.has(iso))) {
        counted++;
        worked.push(iso);
      }
    }
    expect(worked).toContain('2023-10-07');
    expect(c.dueDates.review).toBe(day.toISOString().slice(0, 10));
    expect(c.dueDates.review).toBe('2023-10-26');
    // The town worked the 调休 Saturday: the submission is dated on it, the check on the Sunday.
    const history = await get(`/api/v1/cases/${story('holidayCaseId')}/history`);
    const on = (type: string) => history.events.filter((e: any) => e.type === type).map((e: any) => e.data.submittedOn ?? e.data.checkedOn);
    expect(on('CaseSubmitted')).toEqual(['2023-10-07']);
    expect(on('CaseChecked')).toEqual(['2023-10-08']);
    expect(history.status).toBe('granted');
  });

  it('a refusal with reasons: the written reasons are the failed rules, notified in writing', async () => {
    const id = story('refusalCaseId');
    const c = await get(`/api/v1/cases/${id}`);
    expect(c.status).toBe('denied');
    const [row] = (await get(`/api/v1/decisions?case=${id}`)).items;
    expect(row.outcome).toBe('denied');
    const d = await get(`/api/v1/decisions/${row.decisionId}`);
    expect(d.outcome).toBe('denied');
    const failed = d.eligibility.rules.filter((r: any) => !r.passed);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(d.writtenReasons).toBe(failed.map((r: any) => r.reason.zh).join('；'));
    expect(d.payment).toBeNull();
    const history = await get(`/api/v1/cases/${id}/history`);
    expect(history.events.filter((e: any) => e.type === 'RefusalNotified').map((e: any) => e.data.on)).toEqual(['2023-08-18']);
    expect(d.refusalNoticeDueOn >= '2023-08-18').toBe(true);
  });

  it('an objection during the notice period sends the case back to investigation before a new notice', async () => {
    const id = story('objectionCaseId');
    const history = await get(`/api/v1/cases/${id}/history`);
    const types = history.events.map((e: any) => e.type);
    const notices = history.events.filter((e: any) => e.type === 'NoticePosted').map((e: any) => e.data);
    const [objection] = history.events.filter((e: any) => e.type === 'ObjectionRecorded').map((e: any) => e.data);
    expect(notices).toHaveLength(2);
    expect(objection.on >= notices[0].postedOn && objection.on <= notices[0].endsOn).toBe(true);
    expect(objection.noticeId).toBe(notices[0].noticeId);
    // Between the objection and the second notice: a new home investigation.
    const between = types.slice(types.indexOf('ObjectionRecorded'), types.lastIndexOf('NoticePosted'));
    expect(between).toContain('HomeInvestigationRecorded');
    expect(history.status).toBe('granted');
  });

  it('leaves cases in every state and every program', async () => {
    const seen = new Set<string>();
    const programs = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: any = await get(`/api/v1/cases?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      for (const c of page.items) {
        seen.add(c.status);
        programs.add(c.program);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([
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
    ]);
    expect([...programs].sort()).toEqual(['dibao', 'orphan', 'tekun', 'temporary', 'unsupported_child']);
    expect(summary.decisions).toBeGreaterThan(0);
  });

  it('department data: imports with findings and rejected rows, tasks answered on time, late, and overdue on 2023-12-20', async () => {
    t.clock.set('2023-12-20T02:00:00.000Z');
    const imports = (await get('/api/v1/data-imports?limit=50')).items;
    expect(new Set(imports.map((i: any) => i.source))).toEqual(
      new Set(['medical_insurance', 'education', 'disability_federation', 'emergency_management', 'rural_revitalization', 'health']),
    );
    expect(imports.every((i: any) => i.status === 'completed')).toBe(true);
    expect(imports.filter((i: any) => i.rejected > 0).map((i: any) => i.source)).toEqual(['medical_insurance', 'medical_insurance']);
    const admin = bearer(t.token('admin'));
    const list = async (q: string) => (await expectStatus(t.app.inject({ method: 'GET', url: `/api/v1/tasks?limit=200&${q}`, headers: admin }))).items;
    const overdue = await list('overdue=true');
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((task: any) => task.status === 'open' && task.deadline < '2023-12-20')).toBe(true);
    const closed = await list('status=closed');
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((task: any) => task.outcome && task.outcome.on <= '2023-12-20' && task.outcome.on >= task.raisedOn)).toBe(true);
    expect(closed.some((task: any) => task.outcome.on > task.deadline)).toBe(importCounts.answeredLate! > 0);
    // The fire households, in the emergency bureau's list, were found already helped: enrolled in their fire cases.
    const fireCases = story('fireCaseIds').split(',');
    const enrolled = closed.filter((task: any) => task.outcome.kind === 'visited_enrolled');
    expect(enrolled.map((task: any) => task.outcome.applicationId).sort()).toEqual([...fireCases].sort());
  });

  it('community resources: volunteers in the article’s teams, 1,000+ mobilisable, service hours, projects, the article’s donations', async () => {
    const c = await get('/api/v1/community/summary');
    expect(c.volunteers.registered).toBe(communityCounts.volunteers);
    expect(c.volunteers.mobilisable.fromOrganisations).toBeGreaterThanOrEqual(1_000);
    const kinds = Object.fromEntries(c.teams.byKind.map((k: any) => [k.kind, k.active]));
    expect(kinds).toMatchObject({ silver_pioneer: 1, women: 1, caring_parents: 1, youth: 1 });
    // 18 village mutual-aid teams in a county of 43 villages; one per village in the tiny one.
    expect(c.teams.villageMutualAidElderCare).toBe(Math.min(18, world.villages.filter((v) => v.kind === 'village').length));
    expect(c.service.records).toBe(communityCounts.activities);
    expect(c.service.volunteerMinutes).toBe(communityCounts.serviceMinutes);
    expect(c.service.householdsServed).toBeGreaterThan(0);
    const projects = Object.fromEntries(c.projects.byKind.map((p: any) => [p.kind, p.count]));
    expect(projects).toEqual({ government_purchased: 2, brand: 2, station: 2 });
    expect(c.projects.byKind.find((p: any) => p.kind === 'government_purchased').contractAmountFen).toBe(788_000_000);
    // ¥160,000 + ¥5,000 from companies (the article's ¥165,000), ¥35,000 through 腾讯公益.
    expect(c.donations.totalFen).toBe(20_000_000);
    expect(Object.fromEntries(c.donations.byDonorKind.map((d: any) => [d.donorKind, d.amountFen]))).toEqual({
      company: 16_500_000,
      online_platform: 3_500_000,
    });
    expect(c.donations.allocatedFen).toBeGreaterThan(0);
    expect(c.donations.allocatedFen + c.donations.remainingFen).toBe(c.donations.totalFen);
  });

  it('committee assessments for 2023-H1 and 2023-H2; the H1 scores published and frozen, H2 still live', async () => {
    t.clock.set('2023-12-20T02:00:00.000Z');
    const evaluator = bearer(t.token('evaluator'));
    const read = async (url: string) => expectStatus(t.app.inject({ method: 'GET', url, headers: evaluator }));
    const h1 = await read('/api/v1/performance?period=2023-H1');
    expect(h1).toMatchObject({ period: '2023-H1', source: 'published', asOf: '2023-07-14', publication: { revision: 1 } });
    const hired = world.workers;
    expect(h1.items.map((s: any) => s.workerId).sort()).toEqual(hired.map((w) => w.id).sort());
    expect(h1.items.every((s: any) => s.status === 'rated' && typeof s.total === 'number' && ['优秀', '合格', '不合格'].includes(s.rating))).toBe(true);
    expect(assessmentCounts.published).toBe(hired.length);
    // The corrected score is the one published: revision 2 of that worker's assessment.
    const corrected = await read(`/api/v1/performance/${hired[0]!.id}?period=2023-H1`);
    expect(corrected.assessments.map((a: any) => a.revision)).toEqual([1, 2]);
    expect(corrected.score.dimensions.knowledge.assessment.revision).toBe(2);
    expect(corrected.assessments[1].scores).toEqual({ discipline: 92, attitude: 94, knowledge: 88 });
    const h2 = await read('/api/v1/performance?period=2023-H2');
    expect(h2).toMatchObject({ period: '2023-H2', source: 'live', publication: null });
    expect(h2.items.filter((s: any) => s.status === 'rated')).toHaveLength(hired.length);
  });

  it('a second run of the story chapters (their markers ignored) appends nothing and finds the same stories', async () => {
    const before = await t.service.deps.store.countAfter(START);
    // The world as a resumed run rebuilds it, then the four story chapters once more: every command a duplicate.
    const ctx = demoContext(t.service, { scale: 'tiny', seed: 'suijiang-2023', countyCode: '530626', progress: () => undefined });
    const first = demoChapters.indexOf(casesChapter);
    for (const chapter of demoChapters.slice(0, first)) await chapter.restore!(ctx);
    const again: Record<string, Record<string, number>> = {};
    for (const chapter of demoChapters.slice(first)) again[chapter.name] = await chapter.run(ctx);
    expect(await t.service.deps.store.countAfter(START)).toBe(before);
    expect(again).toEqual({ cases: summary, imports: importCounts, community: communityCounts, assessments: assessmentCounts });
    expect(ctx.world.stories).toEqual(world.stories);
  }, 300_000);
});
