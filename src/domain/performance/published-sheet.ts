/**
 * A published score split in two (issue 20): the row the score sheet shows, each metric's
 * evidence list replaced by `evidenceCount`, and the evidence lists themselves by metric key,
 * which the drill-down pages. A publication freezes every worker's evidence (about 12.8 MB of
 * JSON for the demo county's half year), so a sheet or a drill-down that read the whole
 * publication spent seconds on every request.
 *
 * The event keeps its scores as open records (`ScoresPublished.scores`), so this reads them as
 * such: a score without a `metrics` list is shown as it is and leaves no evidence, a metric
 * without a string `key` leaves none either.
 */
export interface SplitScore {
  sheet: Record<string, unknown>;
  evidence: { metric: string; items: unknown[] }[];
}

export function splitPublishedScore(score: Readonly<Record<string, unknown>>): SplitScore {
  const metrics = score.metrics;
  if (!Array.isArray(metrics)) return { sheet: { ...score }, evidence: [] };
  const evidence: SplitScore['evidence'] = [];
  const shown = metrics.map((metric: unknown) => {
    if (typeof metric !== 'object' || metric === null) return metric;
    const { evidence: items, ...rest } = metric as Record<string, unknown>;
    const list = Array.isArray(items) ? items : [];
    if (typeof rest.key === 'string') evidence.push({ metric: rest.key, items: list });
    return { ...rest, evidenceCount: list.length };
  });
  return { sheet: { ...score, metrics: shown }, evidence };
}
