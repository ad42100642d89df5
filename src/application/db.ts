/**
 * The database as services and read-model queries see it: `Kysely<Database>`, typed by the
 * migrated schema (generated in storage/database.generated.ts). One type-only import of the
 * storage layer, here, so that the rest of the application names no adapter.
 */
export type { Db } from '../storage/database';
