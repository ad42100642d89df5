import { describe, expect, it } from 'vitest';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { compiledSerializerCompiler } from '../../src/http/compiled-serializer';
import { HouseholdSchema } from '../../src/http/routes/households/households.schemas';
import { pageOf } from '../../src/http/schemas';
import { DecisionSummarySchema } from '../../src/http/routes/assistance/decisions.schemas';

const H1 = '00000000-0000-4000-8000-0000000000d1';
const H2 = '00000000-0000-4000-8000-0000000000d2';
const household = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  groupId: '00000000-0000-4000-8000-0000000000a1',
  villageId: '00000000-0000-4000-8000-0000000000a2',
  townId: '00000000-0000-4000-8000-0000000000a3',
  address: null,
  incomeStability: 'unstable',
  version: 7,
  registeredOn: '2023-01-05',
  members: [
    {
      personId: '00000000-0000-4000-8000-0000000000b1',
      name: '王"老汉"\\',
      idNumber: '110101**********34',
      birthDate: '1970-01-01',
      sex: 'male',
      relation: 'head',
      disability: { type: 'hearing', grade: 3 },
      seriousIllness: '尿毒症\n透析',
      labourCapacity: 'none',
      schoolStatus: null,
    },
  ],
  specialGroups: [
    { membershipId: '00000000-0000-4000-8000-0000000000c1', group: 'health_related', personId: null, riskLevel: null, from: '2023-02-01', to: null },
    {
      membershipId: '00000000-0000-4000-8000-0000000000c2',
      group: 'mental_disorder',
      personId: '00000000-0000-4000-8000-0000000000b1',
      riskLevel: 3,
      from: '2023-02-01',
      to: '2023-09-30',
    },
  ],
  circumstances: [{ on: '2023-03-01', category: 'health', description: '住院 \u2028 <script>' }],
  personalDataMasked: true,
  ...over,
});
const route = { schema: pageOf(HouseholdSchema), method: 'GET', url: '/api/v1/households', httpStatus: '200' };
const compiled = compiledSerializerCompiler(route);
const zodWritten = serializerCompiler(route);

describe('the compiled serializer of the households reads', () => {
  it('writes the very bytes the zod serializer wrote, for a page with every kind of field', () => {
    const pages = [
      {
        items: [household(H1), household(H2, { address: '东村1号', personalDataMasked: false, members: [], specialGroups: [], circumstances: [] })],
        nextCursor: 'abc',
      },
      { items: [], nextCursor: null },
    ];
    for (const page of pages) expect(compiled(page)).toBe(zodWritten(page));
  });

  it('writes only the fields the schema declares, in its order, as the zod parse did', () => {
    const withExtras = {
      items: [{ ...household(H1), secret: 'x', members: [{ ...household(H1).members[0], idNumberFull: '110101197001011234' }] }],
      nextCursor: null,
      debug: true,
    };
    const written = compiled(withExtras);
    expect(written).toBe(zodWritten(withExtras));
    expect(written).not.toMatch(/secret|idNumberFull|197001011234|debug/);
  });

  it('refuses an answer without a required field, as the zod check did', () => {
    const { members: _members, ...withoutMembers } = household(H1);
    const page = { items: [withoutMembers], nextCursor: null };
    expect(() => zodWritten(page)).toThrow();
    expect(() => compiled(page)).toThrow();
  });

  it('leaves other statuses (problem details) to the zod serializer', () => {
    const problem = compiledSerializerCompiler({ ...route, httpStatus: '404' });
    expect(problem({ items: [], nextCursor: null })).toBe(zodWritten({ items: [], nextCursor: null }));
  });

  it('compiles a response schema once per process: a second app gets the same writer, another schema its own', () => {
    const schema = pageOf(HouseholdSchema);
    const first = compiledSerializerCompiler({ ...route, schema });
    expect(compiledSerializerCompiler({ ...route, schema, url: '/api/v1/households/search' })).toBe(first);
    expect(compiledSerializerCompiler(route)).not.toBe(first);
    const page = { items: [household(H1)], nextCursor: null };
    expect(first(page)).toBe(zodWritten(page));
  });
});

describe('the compiled serializer of the decisions list', () => {
  const decisionsRoute = { schema: pageOf(DecisionSummarySchema), method: 'GET', url: '/api/v1/decisions', httpStatus: '200' };
  const compiledDecisions = compiledSerializerCompiler(decisionsRoute);
  const zodDecisions = serializerCompiler(decisionsRoute);
  const decision = (over: Record<string, unknown> = {}) => ({
    decisionId: '00000000-0000-4000-8000-0000000000e1',
    caseId: '00000000-0000-4000-8000-0000000000e2',
    eventId: '00000000-0000-4000-8000-0000000000e3',
    kind: 'initial',
    program: 'dibao',
    decisionDate: '2023-05-06',
    outcome: 'granted',
    townId: '00000000-0000-4000-8000-0000000000a3',
    villageId: '00000000-0000-4000-8000-0000000000a2',
    groupId: '00000000-0000-4000-8000-0000000000a1',
    householdId: H1,
    decidedBy: { actorId: 'county-1', role: 'admin' },
    policy: { id: 'policy-2023', contentHash: 'ab'.repeat(32) },
    payment: { kind: 'monthly', monthlyFen: 62000, from: '2023-06', note: '按月"发放"\n', nested: { list: [1, null, 'x'] } },
    monthlyFen: 62000,
    oneOffFen: null,
    recordedAt: '2023-05-06T02:00:00.000Z',
    personalDataMasked: false,
    ...over,
  });

  it('writes the very bytes the zod serializer wrote: nulls, an open payment object, no payment', () => {
    const pages = [
      {
        items: [decision(), decision({ groupId: null, householdId: null, payment: null, monthlyFen: null, oneOffFen: 150000, personalDataMasked: true })],
        nextCursor: 'c',
      },
      { items: [], nextCursor: null },
    ];
    for (const page of pages) expect(compiledDecisions(page)).toBe(zodDecisions(page));
  });

  it('leaves out fields the schema does not declare, as the zod parse did', () => {
    const page = { items: [{ ...decision(), facts: { members: [{ idNumber: '110101197001011234' }] } }], nextCursor: null };
    expect(compiledDecisions(page)).toBe(zodDecisions(page));
    expect(compiledDecisions(page)).not.toContain('110101197001011234');
  });
});
