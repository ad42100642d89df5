import { expect } from 'vitest';
import { policy2023Input } from '../domain/policy-fixtures';
import { chinaCalendar2023To2024 } from '../domain/working-days-fixtures';
import { expectStatus } from '../support/api-expect';
import { idNumber } from '../support/national-ids';
import { bearer, startTestApp, type TestApp } from '../support/test-app';

/** What the case-document tests read from replies. */
export interface Body {
  id: string;
  status: string;
  members: { personId: string; birthDate: string }[];
  items: { decisionId: string }[];
  eligibility: { rules: { passed: boolean; reason: { zh: string } }[] };
}
export const ok = async (request: Parameters<typeof expectStatus>[0], status?: number) => (await expectStatus(request, status)) as Body;

type Headers = Record<string, string>;

/**
 * The county of the case-document tests (case-documents.api.test.ts and, for the PDFs Chromium
 * prints, case-documents-pdf.system.test.ts): a town, a village, one group, its workers and the
 * bureau's officer; a 低保 case to be granted and one to be refused, both up to their notice, and a
 * 特困 case that never has a notice.
 */
export async function caseDocumentsWorld() {
  const t: TestApp = await startTestApp();
  const ids: Record<string, string> = {};
  const headers = {} as Record<'admin' | 'town' | 'village' | 'county' | 'officer', Headers>;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, as = headers.admin) =>
    t.app.inject({ method, url, headers: as, ...(payload ? { payload } : {}) });
  const at = (day: string) => t.clock.set(`${day}T02:00:00.000Z`);
  const documentOf = (caseId: string, kind: string, as = headers.officer) => call('GET', `/api/v1/cases/${caseId}/documents/${kind}`, undefined, as);
  /** A document as the service serves it: HTML with its print style. */
  const html = async (caseId: string, kind: string, as = headers.officer) => {
    const r = await documentOf(caseId, kind, as);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    return r.body;
  };
  const household = async (seq: number, members: { name: string; birth: string; relation: string; labour: string }[]) => {
    const h = await ok(
      call('POST', '/api/v1/households', {
        groupId: ids.g1,
        incomeStability: 'unstable',
        members: members.map((m, i) => ({ name: m.name, idNumber: idNumber(m.birth, seq + i), relation: m.relation, labourCapacity: m.labour })),
      }),
      201,
    );
    return { id: h.id, people: h.members.map((m) => ({ personId: m.personId, birthDate: m.birthDate })) };
  };

  /** A 低保 application up to its notice, from the household's facts. */
  const toNotice = async (h: Awaited<ReturnType<typeof household>>, farmingFenPerYear: number) => {
    const c = await ok(
      call('POST', '/api/v1/cases', { program: 'dibao', householdId: h.id, applicantPersonId: h.people[0]!.personId, channel: 'self' }, headers.village),
      201,
    );
    await ok(call('POST', `/api/v1/cases/${c.id}/accept`, {}, headers.town));
    const facts = {
      residence: 'rural',
      members: h.people.map((p: { personId: string; birthDate: string }, i: number) => ({
        personId: p.personId,
        birthDate: p.birthDate,
        labourCapacity: i === 0 ? 'partial' : 'none',
      })),
      incomes: [{ source: 'farming', fenPerYear: farmingFenPerYear }],
      property: { financialAssetsFen: 0, vehicles: 0, housingUnits: 1 },
      incomeStability: 'unstable',
    };
    await ok(call('POST', `/api/v1/cases/${c.id}/facts`, { facts }, headers.village));
    at('2023-06-02');
    await ok(
      call('POST', `/api/v1/cases/${c.id}/home-investigations`, { investigatorIds: [ids.townW, ids.vA], on: '2023-06-02', findings: '房屋简陋' }, headers.town),
    );
    return c.id;
  };
  const decide = async (caseId: string, writtenReasons: string) => {
    at('2023-06-02');
    await ok(call('POST', `/api/v1/cases/${caseId}/notice`, { postedOn: '2023-06-02' }, headers.town));
    at('2023-06-15');
    await ok(call('POST', `/api/v1/cases/${caseId}/submit`, {}, headers.town));
    await ok(call('POST', `/api/v1/cases/${caseId}/check`, { result: 'forward' }, headers.county));
    return ok(call('POST', `/api/v1/cases/${caseId}/decision`, { writtenReasons }, headers.officer));
  };

  at('2023-05-02');
  headers.admin = bearer(t.token('admin'));
  await ok(call('POST', '/api/v1/calendars', JSON.parse(JSON.stringify(chinaCalendar2023To2024)) as object), 201);
  await ok(call('POST', '/api/v1/policies', policy2023Input), 201);
  ids.town = (await ok(call('POST', '/api/v1/towns', { code: '530626100', name: '中城镇' }), 201)).id;
  ids.village = (await ok(call('POST', '/api/v1/villages', { townId: ids.town, code: '530626100201', name: '回望村' }), 201)).id;
  ids.g1 = (await ok(call('POST', '/api/v1/groups', { villageId: ids.village, code: '530626100201001', name: '一组' }), 201)).id;
  const worker = async (name: string, level: string, seq: number, posting?: object) =>
    (
      await ok(
        call('POST', '/api/v1/workers', {
          name,
          level,
          phone: '13900000000',
          idNumber: idNumber('1985-03-03', seq),
          hireDate: '2023-01-01',
          ...(posting ? { posting } : {}),
        }),
        201,
      )
    ).id;
  ids.county = await worker('县社工', 'county', 41);
  ids.townW = await worker('镇社工', 'town', 42, { townId: ids.town });
  ids.vA = await worker('村社工', 'village', 43, { villageId: ids.village });
  await ok(call('POST', `/api/v1/workers/${ids.county}/town-links`, { townId: ids.town, from: '2023-01-01' }));
  await ok(call('PUT', `/api/v1/groups/${ids.g1}/responsible-worker`, { workerId: ids.vA, from: '2023-01-01' }));
  headers.county = bearer(t.token('county_worker', ids.county));
  headers.town = bearer(t.token('town_worker', ids.townW));
  headers.village = bearer(t.token('village_worker', ids.vA));
  ids.officer = (await ok(call('POST', '/api/v1/officials', { name: '县民政局审核员', role: 'civil_affairs_officer', from: '2023-01-01' }), 201)).id;
  headers.officer = bearer(t.token('civil_affairs_officer', ids.officer));

  at('2023-06-01');
  const granted = await household(11, [
    { name: '李大山', birth: '1970-02-02', relation: 'head', labour: 'partial' },
    { name: '王小花', birth: '1972-03-03', relation: 'spouse', labour: 'none' },
    { name: '李小山', birth: '2012-04-04', relation: 'child', labour: 'none' },
  ]);
  ids.granted = await toNotice(granted, 600_000);
  at('2023-06-01');
  const refused = await household(21, [{ name: '赵有钱', birth: '1968-08-08', relation: 'head', labour: 'partial' }]);
  ids.refused = await toNotice(refused, 9_000_000);
  const tekun = await household(31, [{ name: '孙老人', birth: '1950-06-01', relation: 'head', labour: 'none' }]);
  ids.tekun = (
    await ok(
      call(
        'POST',
        '/api/v1/cases',
        { program: 'tekun', householdId: tekun.id, applicantPersonId: tekun.people[0]!.personId, channel: 'self' },
        headers.village,
      ),
      201,
    )
  ).id;
  return { t, ids, headers, call, at, documentOf, html, decide };
}

export type CaseDocumentsWorld = Awaited<ReturnType<typeof caseDocumentsWorld>>;
