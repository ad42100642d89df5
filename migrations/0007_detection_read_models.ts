import { sql, type Kysely } from 'kysely';

/**
 * Proactive detection: imports and their rejections, the observation history rules read,
 * findings with their tasks, policy versions — and a scratch table for uploads being staged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rm_detection_policies (
      version integer primary key,
      effective_from date not null,
      body jsonb not null,
      recorded_at timestamptz not null
    )`.execute(db);

  // One batch id names one content per source: the unique index refuses a reused one under a race.
  await sql`
    create table rm_detection_imports (
      id uuid primary key,
      source text not null,
      batch_id text not null,
      content_hash text not null,
      status text not null,
      row_count integer not null,
      chunk_size integer not null,
      chunks_recorded integer not null default 0,
      rows_done integer not null default 0,
      applied integer not null default 0,
      unchanged integer not null default 0,
      rejected integer not null default 0,
      findings_raised integer not null default 0,
      findings_escalated integer not null default 0,
      persons_found integer not null default 0,
      policy_version integer not null,
      received_on date not null,
      imported_by text not null,
      started_at timestamptz not null,
      completed_at timestamptz,
      constraint rm_detection_imports_batch unique (source, batch_id),
      constraint rm_detection_imports_content unique (source, content_hash)
    )`.execute(db);
  await sql`create index rm_detection_imports_started on rm_detection_imports (started_at, id)`.execute(db);

  await sql`
    create table rm_detection_rejections (
      import_id uuid not null,
      row_no integer not null,
      ordinal integer not null,
      field text not null,
      message text not null,
      primary key (import_id, row_no, ordinal)
    )`.execute(db);

  // seq orders a person's observations as they were recorded (a corrected settlement wins).
  await sql`
    create table rm_detection_observations (
      record_key text primary key,
      seq bigint generated always as identity,
      person_id uuid not null,
      source text not null,
      kind text not null,
      observed_on date not null,
      data jsonb not null,
      matched boolean not null,
      import_id uuid not null,
      row_no integer not null
    )`.execute(db);
  await sql`create index rm_detection_observations_person on rm_detection_observations (person_id, seq)`.execute(db);

  // No assignee column: the assignee is whoever is responsible for the household's group on the
  // day of the query (rm_group_responsibilities), so a handover or a move moves open tasks.
  await sql`
    create table rm_detection_findings (
      id uuid primary key,
      task_id uuid not null unique,
      stream_id text not null,
      person_id uuid not null,
      id_number text not null,
      name text not null,
      cause text not null,
      indicated_causes jsonb not null,
      severity text not null,
      status text not null,
      raised_on date not null,
      deadline date not null,
      matched boolean not null,
      household_id uuid,
      group_id uuid,
      source text not null,
      import_id uuid not null,
      row_no integer not null,
      reasons jsonb not null,
      policy_version integer not null,
      escalations integer not null default 0,
      reopened integer not null default 0,
      outcome text,
      outcome_on date,
      outcome_detail jsonb,
      closed_by text,
      version bigint not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index rm_detection_findings_raised on rm_detection_findings (raised_on, id)`.execute(db);
  await sql`create index rm_detection_findings_deadline on rm_detection_findings (status, deadline, id)`.execute(db);
  await sql`create index rm_detection_findings_person on rm_detection_findings (person_id)`.execute(db);
  await sql`create index rm_detection_findings_group on rm_detection_findings (group_id)`.execute(db);
  await sql`create index rm_detection_findings_import on rm_detection_findings (import_id)`.execute(db);

  // Not a read model: raw rows of an upload while its content hash is not known yet.
  await sql`
    create table detection_import_staging (
      upload_id uuid not null,
      row_no integer not null,
      record jsonb,
      error jsonb,
      created_at timestamptz not null default now(),
      primary key (upload_id, row_no)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'detection_import_staging',
    'rm_detection_findings',
    'rm_detection_observations',
    'rm_detection_rejections',
    'rm_detection_imports',
    'rm_detection_policies',
  ]) {
    await sql`drop table ${sql.table(t)}`.execute(db);
  }
}
