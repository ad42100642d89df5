import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, JsonValue } from './database.generated';

export type { JsonValue };

/**
 * Every table of the service's schema, as the migrations leave it. Generated from a freshly
 * migrated schema by `npm run db:types`; CI (`npm run db:types -- --check`) fails when a
 * migration changes a table and the generated file was not refreshed.
 */
export type Database = DB;

export type TableName = keyof Database;

/** A row of `table` as a select returns it. */
export type Row<T extends TableName> = Selectable<Database[T]>;

/** What repository and projection functions take: the database or an open transaction on it. */
export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
