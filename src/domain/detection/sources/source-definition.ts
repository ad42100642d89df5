import type { z } from 'zod';
import type { Observation, RowSubject } from '../observation';
import type { Source } from '../vocabulary';

/** One department's row format: its zod schema turns a raw row into who and what. */
export interface SourceDefinition {
  source: Source;
  row: z.ZodType<{ subject: RowSubject; observation: Observation }>;
  /** The field holding the observation's date, named when that date lies after the import. */
  dateField: string;
  /** Column names (CSV headers in snake_case work too), for the API documentation. */
  columns: readonly string[];
}
