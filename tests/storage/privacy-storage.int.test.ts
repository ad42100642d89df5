import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog } from '../../src/application/privacy/access-log';
import { loadPersonIndexKey, PersonIndex, personIndexKeyPath } from '../../src/application/privacy/person-index';
import { idNumber } from '../support/national-ids';
import { availableBackends, openTestDatabase, type TestDatabase } from '../support/test-database';

const backends = await availableBackends();

describe.each(backends)('the person index and the access log on %s', (backend) => {
  let database: TestDatabase;
  const key = Buffer.from('k'.repeat(48));
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => database?.close());

  it('draws a random id once per ID number and finds it again, lower-case x and spaces included', async () => {
    const index = new PersonIndex(database.db, key);
    const id = idNumber('1960-01-01', 1);
    const first = await index.idFor(id);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    expect(await index.idFor(` ${id.toLowerCase()} `)).toBe(first);
    expect(await index.find(id)).toBe(first);
    expect(await index.find(idNumber('1960-01-01', 2))).toBeNull();
  });

  it('stores only the keyed digest, never the number', async () => {
    const id = idNumber('1961-01-01', 3);
    await new PersonIndex(database.db, key).idFor(id);
    const rows = await database.db.selectFrom('person_index').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(id);
    expect(JSON.stringify(rows)).not.toContain(id.slice(6, 14));
  });

  it('gives different digests under another key (a copy of the database without the key tests nothing)', () => {
    const id = idNumber('1962-01-01', 5);
    expect(new PersonIndex(database.db, key).digest(id)).not.toBe(new PersonIndex(database.db, Buffer.from('z'.repeat(48))).digest(id));
  });

  it('gives racing callers for one new person the same id', async () => {
    const id = idNumber('1963-01-01', 7);
    const index = new PersonIndex(database.db, key);
    const ids = await Promise.all(Array.from({ length: 8 }, () => index.idFor(id)));
    expect(new Set(ids).size).toBe(1);
  });

  it('links a corrected ID number to the person, never taking one that is someone else’s', async () => {
    const index = new PersonIndex(database.db, key);
    const person = await index.idFor(idNumber('1964-01-01', 9));
    await index.link(idNumber('1964-01-01', 11), person);
    expect(await index.idFor(idNumber('1964-01-01', 11))).toBe(person);
    const other = await index.idFor(idNumber('1964-01-01', 13));
    await index.link(idNumber('1964-01-01', 13), person);
    expect(await index.idFor(idNumber('1964-01-01', 13))).toBe(other);
  });

  it('maps a batch (imports) in one call', async () => {
    const numbers = Array.from({ length: 50 }, (_, i) => idNumber('1970-01-01', 100 + i));
    const map = await new PersonIndex(database.db, key).idsFor([...numbers, numbers[0]!]);
    expect(map.size).toBe(50);
    expect(new Set(map.values()).size).toBe(50);
  });

  it('answers numbers seen before and new ones in one call: the ids drawn before stay, the new ones stay drawn', async () => {
    const index = new PersonIndex(database.db, key);
    const known = idNumber('1971-01-01', 300);
    const before = await index.idFor(known);
    const fresh = idNumber('1971-01-01', 301);
    const map = await index.idsFor([fresh, known]);
    expect(map.get(known)).toBe(before);
    expect(map.get(fresh)).toMatch(/^[0-9a-f-]{36}$/);
    expect(map.get(fresh)).not.toBe(before);
    expect(await index.idFor(fresh)).toBe(map.get(fresh));
  });

  it('records sensitive reads and pages through them by household, actor and time', async () => {
    const log = new AccessLog(database.db);
    const household = '0b9c2a84-1111-4222-8333-444455556666';
    await log.record({ id: 'w-1', role: 'village_worker' }, new Date('2026-03-01T01:00:00Z'), 'GET /households/{id}', [
      { subjectKind: 'beneficiary', subjectId: household, householdId: household, classes: ['health', 'free_text'] },
    ]);
    await log.record({ id: 'w-2', role: 'town_worker' }, new Date('2026-03-02T01:00:00Z'), 'GET /decisions', [
      { subjectKind: 'beneficiary', subjectId: 'd-1', householdId: household, classes: ['income_property'] },
      { subjectKind: 'beneficiary', subjectId: 'd-2', householdId: null, classes: ['health'] },
    ]);
    await log.record({ id: 'w-3', role: 'town_worker' }, new Date(), 'GET /x', []);
    const page1 = await log.list({ householdId: household }, { limit: 1 });
    expect(page1.items[0]).toMatchObject({ actor: { id: 'w-1', role: 'village_worker' }, classes: ['health', 'free_text'], at: '2026-03-01T01:00:00.000Z' });
    const page2 = await log.list({ householdId: household }, { limit: 1, cursor: page1.nextCursor! });
    expect(page2.items[0]).toMatchObject({ actor: { id: 'w-2' }, subjectId: 'd-1', classes: ['income_property'] });
    expect(page2.nextCursor).toBeNull();
    expect((await log.list({ actorId: 'w-2', from: '2026-03-02T00:00:00Z' }, { limit: 10 })).items.map((i) => i.subjectId)).toEqual(['d-1', 'd-2']);
    expect((await log.list({ actorId: 'w-3' }, { limit: 10 })).items).toEqual([]);
  });
});

describe('the person-index key', () => {
  it('is generated once under DATA_DIR, readable by the owner only, and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'person-key-'));
    const first = loadPersonIndexKey({ dataDir: join(dir, 'data') });
    expect(statSync(personIndexKeyPath(join(dir, 'data'))).mode & 0o777).toBe(0o600);
    expect(loadPersonIndexKey({ dataDir: join(dir, 'data') }).equals(first)).toBe(true);
    expect(readFileSync(personIndexKeyPath(join(dir, 'data')), 'utf8').trim().length).toBeGreaterThanOrEqual(32);
  });

  it('comes from PERSON_INDEX_KEY when configured (no file written)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'person-key-'));
    expect(loadPersonIndexKey({ configured: 'c'.repeat(40), dataDir: dir }).toString()).toBe('c'.repeat(40));
    expect(() => statSync(personIndexKeyPath(dir))).toThrow();
  });
});
