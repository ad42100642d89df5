import type { Migration } from 'kysely';
import * as m0001 from './0001_event_store';
import * as m0002 from './0002_towns_read_model';
import * as m0003 from './0003_geography_workforce_read_models';
import * as m0004 from './0004_households_visits_read_models';
import * as m0005 from './0005_assistance_read_models';
import * as m0006 from './0006_community_read_models';
import * as m0007 from './0007_detection_read_models';
import * as m0008 from './0008_performance_read_models';
import * as m0020 from './0020_ledger';
import * as m0030 from './0030_event_log_integrity';
import * as m0040 from './0040_idempotency_scope';
import * as m0050 from './0050_privacy';
// h14b: stream snapshots
import * as m0070 from './0070_stream_snapshots';
import * as m0080 from './0080_assistance_law';
// h19b (issue #19): 0090–0099
import * as m0090 from './0090_reserve_funds';
// h15c (issue 15, demo mode): 0110–0114
import * as m0110 from './0110_demo_county_loads';
// h13r (issue #13): 0115–0119
import * as m0115 from './0115_idempotency_area_checks';
// hD (issue 20, read models): 0135–0144
import * as m0135 from './0135_schedule_read_model';
import * as m0145 from './0145_performance_metric_counters';
import * as m0155 from './0155_audit_verified_heads';
// hJ (issue 20, coverage read model): 0165–0179
import * as m0165 from './0165_coverage_read_model';
import * as m0175 from './0175_decision_payment_column';
import * as m0176 from './0176_member_name_characters';
// hV (issue 20, verify of a county-year): 0177–0180
import * as m0177 from './0177_event_hashed_text';
import * as m0178 from './0178_event_hashed_text_backfill';
import * as m0185 from './0185_member_name_index_without_pending_list';
import * as m0190 from './0190_published_score_sheets';
import * as m0191 from './0191_event_data_kept_once';

/**
 * Every migration, by name. Names sort in the order they must run.
 *
 * Each takes `Kysely<unknown>`: a database of no known tables. A migration must not see today's
 * table types (src/storage/database.generated.ts describes the schema after the last migration,
 * not the one a migration starts from), so it speaks SQL and the schema builder only; Kysely's
 * docs give them an `any` database for the same reason, which would switch the type checker off instead.
 */
export const migrations: Record<string, Migration> = {
  '0001_event_store': m0001,
  '0002_towns_read_model': m0002,
  '0003_geography_workforce_read_models': m0003,
  '0004_households_visits_read_models': m0004,
  '0005_assistance_read_models': m0005,
  '0006_community_read_models': m0006,
  '0007_detection_read_models': m0007,
  '0008_performance_read_models': m0008,
  '0020_ledger': m0020,
  '0030_event_log_integrity': m0030,
  '0040_idempotency_scope': m0040,
  '0050_privacy': m0050,
  // h14b: stream snapshots
  '0070_stream_snapshots': m0070,
  '0080_assistance_law': m0080,
  // h19b (issue #19): 0090–0099
  '0090_reserve_funds': m0090,
  // h15c (issue 15, demo mode): 0110–0114
  '0110_demo_county_loads': m0110,
  // h13r (issue #13): 0115–0119
  '0115_idempotency_area_checks': m0115,
  // hD (issue 20, read models): 0135–0144
  '0135_schedule_read_model': m0135,
  // hE (issue 20, score sheet read model): 0145–0154
  '0145_performance_metric_counters': m0145,
  // hF (issue 20, audit runs): 0155–0164
  '0155_audit_verified_heads': m0155,
  // hJ (issue 20, coverage read model): 0165–0179
  '0165_coverage_read_model': m0165,
  // hR (issue 20, county reads): 0175–0179
  '0175_decision_payment_column': m0175,
  '0176_member_name_characters': m0176,
  // hV (issue 20, verify of a county-year): 0177–0180
  '0177_event_hashed_text': m0177,
  '0178_event_hashed_text_backfill': m0178,
  // hH (issue 20, the household reads): 0185–0190
  '0185_member_name_index_without_pending_list': m0185,
  // issue 20, the published sheet and its drill-down: 0190
  '0190_published_score_sheets': m0190,
  // issue 20, the verify of a county-year: an event's data kept once, as its hashed text
  '0191_event_data_kept_once': m0191,
};
