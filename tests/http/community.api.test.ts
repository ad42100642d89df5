import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { idNumber } from '../support/national-ids';
import { expectStatus } from '../support/api-expect';

describe('community resources through HTTP', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let townWorker: Record<string, string>;
  const ids: Record<string, string> = {};
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers = admin) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const ok = expectStatus;
  const rule = async (p: ReturnType<typeof call>, expected: string) => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(422);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().type).toBe(`/problems/rule/${expected}`);
    return r.json();
  };

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-03-10T02:00:00.000Z');
    admin = bearer(t.token('admin'));
    ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
    ids.otherTown = (await ok(call('POST', '/api/v1/towns', { code: '530626101', name: '板栗镇' }), 201)).id;
    ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
    ids.group = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
    ids.station = (await ok(call('POST', '/api/v1/stations', { villageId: ids.village, name: '回望村服务点' }), 201)).id;
    ids.townWorker = (
      await ok(
        call('POST', '/api/v1/workers', {
          name: '镇社工',
          level: 'town',
          phone: '13900000000',
          idNumber: idNumber('1985-03-03', 31),
          hireDate: '2025-01-01',
          posting: { townId: ids.town },
        }),
        201,
      )
    ).id;
    townWorker = bearer(t.token('town_worker', ids.townWorker));
    const household = await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.group,
        members: [
          { name: '王奶奶', idNumber: idNumber('1948-02-02', 12), relation: 'head', labourCapacity: 'none' },
          { name: '王小花', idNumber: idNumber('2016-05-05', 22), relation: 'grandchild', labourCapacity: 'none', schoolStatus: 'primary' },
        ],
      }),
      201,
    );
    ids.household = household.id;
  });
  afterAll(async () => t?.close());

  describe('volunteers', () => {
    const body = (seq: number, extra: object = {}) => ({
      name: `志愿者${seq}`,
      idNumber: idNumber('1960-01-01', seq),
      phone: '13812345678',
      skills: ['理发'],
      villageId: ids.village,
      registeredOn: '2026-01-05',
      ...extra,
    });

    it('lets a town worker register volunteers in their town, with the ID number masked for them', async () => {
      const v = await ok(call('POST', '/api/v1/volunteers', body(41), townWorker), 201);
      ids.v1 = v.id;
      expect(v).toMatchObject({ townId: ids.town, villageId: ids.village, status: 'registered', skills: ['理发'], personalDataMasked: true });
      expect(v.idNumber).toMatch(/^530626\*{10}\w{2}$/);
      ids.v2 = (await ok(call('POST', '/api/v1/volunteers', body(43, { skills: ['陪伴', '医护'] }), townWorker), 201)).id;
      ids.v3 = (await ok(call('POST', '/api/v1/volunteers', body(45, { townId: ids.town, villageId: undefined })), 201)).id;
    });

    it('shows the full ID number to admin only; auditors see neither it nor the phone', async () => {
      expect((await ok(call('GET', `/api/v1/volunteers/${ids.v1}`))).idNumber).toBe(idNumber('1960-01-01', 41));
      const audited = await ok(call('GET', `/api/v1/volunteers/${ids.v1}`, undefined, bearer(t.token('auditor'))));
      expect(audited).toMatchObject({ phone: '138****5678', personalDataMasked: true });
      expect(JSON.stringify(audited)).not.toContain(idNumber('1960-01-01', 41));
    });

    it('refuses the same person twice (422 naming the record, not the number) and an invalid number (400)', async () => {
      const problem = await rule(call('POST', '/api/v1/volunteers', body(41)), 'volunteer.already_registered');
      expect(problem.existingVolunteerId).toBe(ids.v1);
      expect(JSON.stringify(problem)).not.toContain(idNumber('1960-01-01', 41));
      const invalid = await call('POST', '/api/v1/volunteers', body(41, { idNumber: '530626196001010410' }));
      expect(invalid.statusCode).toBe(400);
    });

    it('refuses writes outside the jurisdiction and from read-only roles (403)', async () => {
      expect((await call('POST', '/api/v1/volunteers', body(47, { villageId: undefined, townId: ids.otherTown }), townWorker)).statusCode).toBe(403);
      expect((await call('POST', '/api/v1/volunteers', body(47), bearer(t.token('auditor')))).statusCode).toBe(403);
      expect((await call('POST', '/api/v1/volunteers', body(47), bearer(t.token('evaluator')))).statusCode).toBe(403);
    });

    it('lists with filters and keyset pagination', async () => {
      const first = await ok(call('GET', `/api/v1/volunteers?town=${ids.town}&limit=2`));
      expect(first.items).toHaveLength(2);
      const second = await ok(call('GET', `/api/v1/volunteers?town=${ids.town}&limit=2&cursor=${first.nextCursor}`));
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      expect((await ok(call('GET', `/api/v1/volunteers?skill=${encodeURIComponent('医护')}`))).items.map((v: any) => v.id)).toEqual([ids.v2]);
      expect((await ok(call('GET', `/api/v1/volunteers?idNumber=${idNumber('1960-01-01', 43)}`))).items.map((v: any) => v.id)).toEqual([ids.v2]);
    });
  });

  describe('teams', () => {
    it('needs a village for a mutual-aid elder-care team, and takes the town from it', async () => {
      await rule(
        call(
          'POST',
          '/api/v1/volunteer-teams',
          { name: '互助队', kind: 'village_mutual_aid_elder_care', townId: ids.town, formedOn: '2026-01-10' },
          townWorker,
        ),
        'team.village_required',
      );
      const team = await ok(
        call(
          'POST',
          '/api/v1/volunteer-teams',
          { name: '回望村邻里互助队', kind: 'village_mutual_aid_elder_care', villageId: ids.village, formedOn: '2026-01-10' },
          townWorker,
        ),
        201,
      );
      ids.team = team.id;
      expect(team).toMatchObject({ townId: ids.town, status: 'active', currentMembers: 0, leader: null });
      ids.team2 = (
        await ok(call('POST', '/api/v1/volunteer-teams', { name: '银发先锋', kind: 'silver_pioneer', townId: ids.town, formedOn: '2026-01-10' }), 201)
      ).id;
    });

    it('joins members with dates and a leader, and refuses overlaps and dates before the team', async () => {
      await ok(call('POST', `/api/v1/volunteer-teams/${ids.team}/members`, { volunteerId: ids.v1, from: '2026-01-10', leader: true }, townWorker));
      await ok(call('POST', `/api/v1/volunteer-teams/${ids.team}/members`, { volunteerId: ids.v2, from: '2026-02-01' }, townWorker));
      await rule(call('POST', `/api/v1/volunteer-teams/${ids.team}/members`, { volunteerId: ids.v3, from: '2026-01-09' }), 'team.join_before_formed');
      await ok(call('POST', `/api/v1/volunteer-teams/${ids.team}/members/${ids.v2}/leave`, { to: '2026-02-15' }, townWorker));
      await rule(call('POST', `/api/v1/volunteer-teams/${ids.team}/members`, { volunteerId: ids.v2, from: '2026-02-14' }), 'team.already_member');
      const team = await ok(call('GET', `/api/v1/volunteer-teams/${ids.team}`));
      expect(team.leader).toMatchObject({ volunteerId: ids.v1, from: '2026-01-10' });
      expect(team.members).toEqual([
        { volunteerId: ids.v1, name: '志愿者41', from: '2026-01-10', to: null },
        { volunteerId: ids.v2, name: '志愿者43', from: '2026-02-01', to: '2026-02-15' },
      ]);
      await ok(call('POST', `/api/v1/volunteer-teams/${ids.team2}/members`, { volunteerId: ids.v2, from: '2026-01-10' }));
      expect((await ok(call('GET', `/api/v1/volunteer-teams?kind=village_mutual_aid_elder_care`))).items.map((x: any) => x.id)).toEqual([ids.team]);
    });
  });

  describe('service records and hours', () => {
    it('records minutes per volunteer, with people and children served taken from the household by default', async () => {
      const record = await ok(
        call(
          'POST',
          '/api/v1/service-records',
          {
            activity: '上门理发、陪伴',
            date: '2026-02-10',
            villageId: ids.village,
            participants: [
              { volunteerId: ids.v1, teamId: ids.team, minutes: 90 },
              { volunteerId: ids.v2, teamId: ids.team, minutes: 60 },
            ],
            householdIds: [ids.household],
            servedGroups: ['elder', 'child'],
          },
          townWorker,
        ),
        201,
      );
      expect(record).toMatchObject({ peopleServed: 2, childrenServed: 1, totalMinutes: 150, teamIds: [ids.team], voided: false });
      await ok(
        call('POST', '/api/v1/service-records', {
          activity: '助餐',
          date: '2026-03-01',
          townId: ids.town,
          participants: [
            { volunteerId: ids.v1, teamId: ids.team, minutes: 45 },
            { volunteerId: ids.v2, teamId: ids.team2, minutes: 30 },
          ],
        }),
        201,
      );
      ids.wrong = (
        await ok(
          call('POST', '/api/v1/service-records', {
            activity: '重复录入',
            date: '2026-03-01',
            townId: ids.town,
            participants: [{ volunteerId: ids.v3, minutes: 600 }],
          }),
          201,
        )
      ).id;
    });

    it('refuses a volunteer who had left the team they are said to serve with', async () => {
      const problem = await rule(
        call('POST', '/api/v1/service-records', {
          activity: 'x',
          date: '2026-02-20',
          townId: ids.town,
          participants: [{ volunteerId: ids.v2, teamId: ids.team, minutes: 30 }],
        }),
        'service_record.not_team_member',
      );
      expect(problem).toMatchObject({ volunteerId: ids.v2, teamId: ids.team });
    });

    it('adds hours up per volunteer, per team and per month, and forgets a voided record', async () => {
      await ok(call('POST', `/api/v1/service-records/${ids.wrong}/void`, { reason: '重复录入' }));
      const byVolunteer = await ok(call('GET', '/api/v1/service-hours?by=volunteer'));
      const minutes = Object.fromEntries(byVolunteer.items.map((r: any) => [r.key, r.minutes]));
      expect(minutes).toEqual({ [ids.v1!]: 135, [ids.v2!]: 90 });
      const byTeam = await ok(call('GET', '/api/v1/service-hours?by=team'));
      expect(Object.fromEntries(byTeam.items.map((r: any) => [r.name, r.minutes]))).toEqual({ 回望村邻里互助队: 195, 银发先锋: 30 });
      const byMonth = await ok(call('GET', '/api/v1/service-hours?by=month&from=2026-01&to=2026-03'));
      expect(byMonth.items).toEqual([
        { key: '2026-02', name: null, minutes: 150, hours: 2.5, records: 1 },
        { key: '2026-03', name: null, minutes: 75, hours: 1.3, records: 1 },
      ]);
      const mine = await ok(call('GET', `/api/v1/volunteers/${ids.v1}/hours?from=2026-02&to=2026-02`));
      expect(mine).toMatchObject({ totalMinutes: 90, months: [{ key: '2026-02', minutes: 90 }] });
      expect((await ok(call('GET', `/api/v1/volunteers/${ids.v1}`))).totalMinutes).toBe(135);
      expect((await ok(call('GET', `/api/v1/service-records?volunteer=${ids.v3}`))).items).toEqual([]);
      expect((await ok(call('GET', `/api/v1/service-records?household=${ids.household}`))).items).toHaveLength(1);
    });
  });

  describe('projects', () => {
    it('registers projects of each kind, refusing an incomplete purchase contract', async () => {
      const problem = await rule(
        call('POST', '/api/v1/projects', { kind: 'government_purchased', name: '困境儿童关爱', townId: ids.town, from: '2026-01-01' }),
        'project.contract_incomplete',
      );
      expect(problem.missing).toEqual(['provider', 'contractAmountFen', 'to']);
      const purchased = await ok(
        call('POST', '/api/v1/projects', {
          kind: 'government_purchased',
          name: '困境儿童关爱服务',
          townId: ids.town,
          provider: '绥江县某社会工作服务中心',
          contractAmountFen: 78_800_000,
          from: '2026-01-01',
          to: '2026-12-31',
          deliverables: [{ description: '入户探访', target: 1200, unit: '户次' }],
        }),
        201,
      );
      ids.project = purchased.id;
      expect(purchased).toMatchObject({ contractAmountFen: 78_800_000, status: 'active', funds: { receivedFen: 0, spentFen: 0, balanceFen: 0 } });
      const station = await ok(
        call('POST', '/api/v1/projects', { kind: 'station', name: '回望村邻里互助养老', stationId: ids.station, from: '2026-01-01' }, townWorker),
        201,
      );
      expect(station).toMatchObject({ townId: ids.town, villageId: ids.village, stationId: ids.station });
      ids.stationProject = station.id;
      await ok(call('POST', '/api/v1/projects', { kind: 'brand', name: '蓝信封', partner: '蓝信封留守儿童关爱中心', from: '2025-09-01' }), 201);
      await rule(call('POST', '/api/v1/projects', { kind: 'brand', name: '向日葵', from: '2025-09-01' }), 'project.partner_required');
      // County-wide projects are the bureau's.
      expect((await call('POST', '/api/v1/projects', { kind: 'brand', name: '向日葵', partner: 'x', from: '2025-09-01' }, townWorker)).statusCode).toBe(403);
    });

    it('counts people, households and children served through its service records', async () => {
      await ok(
        call('POST', '/api/v1/service-records', {
          activity: '儿童关爱小组',
          date: '2026-03-05',
          townId: ids.town,
          projectId: ids.project,
          householdIds: [ids.household],
          peopleServed: 30,
          childrenServed: 25,
        }),
        201,
      );
      await rule(
        call('POST', '/api/v1/service-records', { activity: 'x', date: '2025-12-20', townId: ids.town, projectId: ids.project, peopleServed: 1 }),
        'service_record.outside_project_period',
      );
      const project = await ok(call('GET', `/api/v1/projects/${ids.project}`));
      expect(project.served).toEqual({ serviceRecords: 1, peopleServed: 30, householdsServed: 1, childrenServed: 25, volunteerMinutes: 0 });
      const deliverable = project.deliverables[0].deliverableId;
      const done = await ok(call('POST', `/api/v1/projects/${ids.project}/deliverables/${deliverable}/complete`, { on: '2026-03-06' }));
      expect(done.deliverables[0].completedOn).toBe('2026-03-06');
    });
  });

  describe('donations', () => {
    const donate = (donor: object, amountFen: number, channel: string, extra: object = {}) =>
      call('POST', '/api/v1/donations', { donor, amountFen, channel, purpose: '关爱困境儿童', receivedOn: '2026-02-01', ...extra });

    it('records donations in integer fen, refusing fractions', async () => {
      ids.company = (await ok(donate({ kind: 'company', name: '某建材公司' }, 16_000_000, 'bank_transfer'), 201)).id;
      await ok(donate({ kind: 'company', name: '某超市' }, 500_000, 'bank_transfer'), 201);
      ids.online = (
        await ok(donate({ kind: 'online_platform', name: '腾讯公益' }, 3_500_000, 'online_charity', { designatedProjectId: ids.stationProject }), 201)
      ).id;
      ids.person = (await ok(donate({ kind: 'person', name: '张三丰' }, 20_000, 'cash', { townId: ids.town }), 201)).id;
      expect((await donate({ kind: 'company', name: 'x' }, 100.5, 'cash')).statusCode).toBe(400);
    });

    it('allocates to projects and households, never more than remains (422 with the remaining balance)', async () => {
      const after = await ok(
        call('POST', `/api/v1/donations/${ids.company}/allocations`, { projectId: ids.project, amountFen: 10_000_000, on: '2026-02-05' }),
        201,
      );
      expect(after).toMatchObject({ amountFen: 16_000_000, allocatedFen: 10_000_000, remainingFen: 6_000_000 });
      await ok(call('POST', `/api/v1/donations/${ids.company}/allocations`, { householdId: ids.household, amountFen: 1_000_000, on: '2026-02-06' }), 201);
      const problem = await rule(
        call('POST', `/api/v1/donations/${ids.company}/allocations`, { projectId: ids.project, amountFen: 5_000_001 }),
        'donation.over_balance',
      );
      expect(problem).toMatchObject({ remainingFen: 5_000_000, requestedFen: 5_000_001 });
      await rule(call('POST', `/api/v1/donations/${ids.online}/allocations`, { projectId: ids.project, amountFen: 100 }), 'donation.designated_for_project');
      await rule(
        call('POST', `/api/v1/donations/${ids.company}/allocations`, { projectId: ids.project, amountFen: 100, on: '2026-01-31' }),
        'donation.allocation_before_receipt',
      );
    });

    it('lets only one of two racing allocations take the last of the balance', async () => {
      const race = await Promise.all([
        call('POST', `/api/v1/donations/${ids.company}/allocations`, { projectId: ids.project, amountFen: 3_000_000 }),
        call('POST', `/api/v1/donations/${ids.company}/allocations`, { projectId: ids.project, amountFen: 3_000_000 }),
      ]);
      expect(race.map((r) => r.statusCode).sort()).toEqual([201, 422]);
      const donation = await ok(call('GET', `/api/v1/donations/${ids.company}`));
      expect(donation).toMatchObject({ allocatedFen: 14_000_000, remainingFen: 2_000_000 });
      expect(donation.allocations).toHaveLength(3);
    });

    it("keeps the project's balance: allocated in, spent out, never below zero", async () => {
      await rule(call('POST', `/api/v1/projects/${ids.project}/spendings`, { amountFen: 13_000_001, purpose: '助学物资' }), 'project.spending_over_balance');
      const project = await ok(call('POST', `/api/v1/projects/${ids.project}/spendings`, { amountFen: 4_000_000, purpose: '助学物资', on: '2026-03-01' }));
      expect(project.funds).toEqual({ receivedFen: 13_000_000, spentFen: 4_000_000, balanceFen: 9_000_000 });
    });

    it('filters donations, and masks a person donor for auditors', async () => {
      expect((await ok(call('GET', '/api/v1/donations?donorKind=company'))).items).toHaveLength(2);
      expect((await ok(call('GET', `/api/v1/donations?household=${ids.household}`))).items.map((d: any) => d.id)).toEqual([ids.company]);
      expect((await ok(call('GET', '/api/v1/donations?withBalance=true&channel=online_charity'))).items.map((d: any) => d.id)).toEqual([ids.online]);
      const audited = await ok(call('GET', `/api/v1/donations/${ids.person}`, undefined, bearer(t.token('auditor'))));
      expect(audited.donor.name).toBe('张*丰');
      expect(
        (
          await call(
            'POST',
            '/api/v1/donations',
            { donor: { kind: 'person', name: null }, amountFen: 100, channel: 'cash', purpose: 'x' },
            bearer(t.token('auditor')),
          )
        ).statusCode,
      ).toBe(403);
      // County-level donations are recorded by the bureau, town ones by the town.
      expect(
        (await call('POST', '/api/v1/donations', { donor: { kind: 'person', name: null }, amountFen: 100, channel: 'cash', purpose: 'x' }, townWorker))
          .statusCode,
      ).toBe(403);
    });
  });

  describe('summary', () => {
    it('reports the counts the article reports', async () => {
      await ok(call('POST', '/api/v1/mobilisable-counts', { organisation: '回望村委会', townId: ids.town, count: 120, asOf: '2026-03-01' }, townWorker), 201);
      await ok(call('POST', '/api/v1/mobilisable-counts', { organisation: '县一中', count: 400, asOf: '2026-03-01' }), 201);
      await rule(call('POST', '/api/v1/mobilisable-counts', { organisation: '县一中', count: 300, asOf: '2026-02-01' }), 'mobilisable.out_of_order');
      const summary = await ok(call('GET', '/api/v1/community/summary', undefined, bearer(t.token('evaluator'))));
      expect(summary.volunteers).toEqual({ registered: 3, withdrawn: 0, mobilisable: { total: 523, registered: 3, fromOrganisations: 520, organisations: 2 } });
      expect(summary.teams).toMatchObject({ active: 2, villageMutualAidElderCare: 1 });
      expect(summary.service).toEqual({ records: 3, volunteerMinutes: 225, peopleServed: 32, householdsServed: 1, childrenServed: 26 });
      expect(summary.projects.childrenServed).toBe(25);
      expect(summary.donations).toMatchObject({ count: 4, totalFen: 20_020_000, allocatedFen: 14_000_000, remainingFen: 6_020_000 });
      expect(summary.donations.byDonorKind).toEqual([
        { donorKind: 'company', count: 2, amountFen: 16_500_000 },
        { donorKind: 'online_platform', count: 1, amountFen: 3_500_000 },
        { donorKind: 'person', count: 1, amountFen: 20_000 },
      ]);
      expect(summary.donations.byChannel.find((c: any) => c.channel === 'online_charity')).toEqual({
        channel: 'online_charity',
        count: 1,
        amountFen: 3_500_000,
      });
    });

    it('narrows to one town on request', async () => {
      const other = await ok(call('GET', `/api/v1/community/summary?town=${ids.otherTown}`));
      expect(other.volunteers.registered).toBe(0);
      expect(other.donations.count).toBe(0);
      expect((await call('GET', `/api/v1/community/summary?town=${ids.otherTown}`, undefined, townWorker)).statusCode).toBe(403);
    });

    it('withdrawing a volunteer ends their team membership and leadership that day', async () => {
      // Read first: the summary answered before the withdrawal is not the one answered after it.
      expect((await ok(call('GET', '/api/v1/community/summary'))).volunteers).toMatchObject({ registered: 3, withdrawn: 0 });
      const v = await ok(call('POST', `/api/v1/volunteers/${ids.v1}/withdraw`, { on: '2026-03-08', reason: '外出务工' }, townWorker));
      expect(v).toMatchObject({ status: 'withdrawn', withdrawnOn: '2026-03-08', teams: [{ teamId: ids.team, to: '2026-03-08', leader: false }] });
      const team = await ok(call('GET', `/api/v1/volunteer-teams/${ids.team}`));
      expect(team).toMatchObject({ leader: null, currentMembers: 0 });
      await rule(call('POST', `/api/v1/volunteers/${ids.v1}/withdraw`, { reason: 'again' }), 'volunteer.withdrawn');
      expect((await ok(call('GET', '/api/v1/community/summary'))).volunteers).toMatchObject({ registered: 2, withdrawn: 1 });
    });
  });
});
