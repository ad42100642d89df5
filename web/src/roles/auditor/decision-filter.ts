/** The auditor's decision filters and the query string GET /decisions (and its export) takes for them. */
export interface DecisionFilter {
  program?: string | undefined;
  outcome?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  town?: string | undefined;
}

export const OUTCOMES = ['granted', 'denied', 'continued', 'adjusted', 'stopped'] as const;

/** Only the filters that are set: an empty filter asks for every decision. */
export function decisionQuery(filter: DecisionFilter): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter) as [string, string | undefined][]) if (value) query[key] = value;
  return query;
}
