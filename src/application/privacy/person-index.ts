import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { normalizeNationalId } from '../../domain/shared/national-id';
import type { Db } from '../db';

/**
 * Person ids that reveal nothing. A person id is a random UUID, drawn the first time an ID
 * number is seen; the index that finds it again holds only HMAC-SHA256(key, ID number). The key
 * lives outside the database (a file under DATA_DIR, or PERSON_INDEX_KEY), so a copy of the
 * database, or anyone who sees a person id, cannot test guesses of an ID number against it.
 * (An unsalted hash of the number, as before, fell to 12 guesses given the birth date.)
 */
export class PersonIndex {
  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
  ) {}

  /** The keyed digest of an ID number: stable for one deployment, useless without the key. */
  digest(idNumber: string): string {
    return createHmac('sha256', this.key).update(normalizeNationalId(idNumber)).digest('base64url');
  }

  /** The person id for an ID number, drawn at random the first time the number is seen. */
  async idFor(idNumber: string): Promise<string> {
    return (await this.idsFor([idNumber])).get(normalizeNationalId(idNumber))!;
  }

  /** Person ids for many ID numbers at once (imports), keyed by the normalised number. */
  async idsFor(idNumbers: readonly string[]): Promise<Map<string, string>> {
    const numbers = [...new Set(idNumbers.map(normalizeNationalId))];
    const result = new Map<string, string>();
    if (numbers.length === 0) return result;
    const digests = numbers.map((n) => this.digest(n));
    const fresh = digests.map(() => randomUUID());
    // One round trip: the rows drawn now (the insert's) and the ones already there (the
    // statement's snapshot). Two requests naming one new person at once: the primary key keeps
    // the first id; the second's insert skips it after the first commits, and its snapshot,
    // taken before, does not see it either, so the few digests missing are read again.
    const rows = await sql<{ id_digest: string; person_id: string }>`
      with drawn as (
        insert into person_index (id_digest, person_id)
        select * from unnest(${digests}::text[], ${fresh}::uuid[]) on conflict (id_digest) do nothing
        returning id_digest, person_id)
      select id_digest, person_id from drawn
      union all
      select id_digest, person_id from person_index where id_digest = any(${digests}::text[])`.execute(this.db);
    const byDigest = new Map(rows.rows.map((r) => [r.id_digest, r.person_id]));
    const missing = digests.filter((d) => !byDigest.has(d));
    if (missing.length > 0) {
      const late = await sql<{ id_digest: string; person_id: string }>`
        select id_digest, person_id from person_index where id_digest = any(${missing}::text[])`.execute(this.db);
      for (const r of late.rows) byDigest.set(r.id_digest, r.person_id);
    }
    numbers.forEach((n, i) => result.set(n, byDigest.get(digests[i]!)!));
    return result;
  }

  /**
   * A member's ID number corrected: the new number finds the same person from now on (the old
   * one still does, for history). A number already linked to someone else stays theirs.
   */
  async link(idNumber: string, personId: string): Promise<void> {
    await sql`insert into person_index (id_digest, person_id) values (${this.digest(idNumber)}, ${personId}::uuid) on conflict (id_digest) do nothing`.execute(
      this.db,
    );
  }

  /** The person id already drawn for an ID number, without drawing one (searches). */
  async find(idNumber: string): Promise<string | null> {
    const row = await this.db.selectFrom('person_index').select('person_id').where('id_digest', '=', this.digest(idNumber)).executeTakeFirst();
    return row?.person_id ?? null;
  }
}

/** Where `npm start` keeps the index key it generated when none was configured. */
export const personIndexKeyPath = (dataDir: string) => join(dataDir, 'person-index-key');

/**
 * The index key: PERSON_INDEX_KEY if set, else the key file under DATA_DIR, generated (0600) on
 * first start like the JWT secret. Losing it does not lose data, but new registrations of
 * people already known would get new person ids: back it up with the database, store it apart.
 */
export function loadPersonIndexKey(options: { configured?: string | undefined; dataDir: string }): Buffer {
  if (options.configured) return Buffer.from(options.configured, 'utf8');
  const path = personIndexKeyPath(options.dataDir);
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
  mkdirSync(options.dataDir, { recursive: true });
  const key = randomBytes(48).toString('base64url');
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return Buffer.from(key, 'utf8');
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return Buffer.from(readFileSync(path, 'utf8').trim(), 'utf8');
    throw error;
  }
}
