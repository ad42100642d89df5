import type { Bilingual } from '../../i18n/language';
import type { paths } from '../../api/schema';

export type AuditRun = paths['/api/v1/audit/runs/{id}']['get']['responses'][200]['content']['application/json'];
export type AuditRunKind = AuditRun['kind'];

/** Poll a run every second while it runs; stop once it has succeeded or failed. */
export const pollInterval = (run: AuditRun | undefined): number | false => (run && run.state === 'running' ? 1000 : false);

/** Progress in percent, or null while the total is not known yet. */
export function percentDone(run: AuditRun): number | null {
  if (run.state !== 'running') return 100;
  const { done, total } = run.progress;
  return total ? Math.min(100, Math.floor((done / total) * 100)) : null;
}

/** The report's top-level figures (numbers, booleans, short strings) to list; nested parts stay in the raw view. */
export function reportFigures(result: Record<string, unknown> | null): [string, string][] {
  if (!result) return [];
  return Object.entries(result).flatMap(([key, value]): [string, string][] => {
    if (typeof value === 'number' || typeof value === 'boolean') return [[key, String(value)]];
    if (typeof value === 'string' && value.length <= 80) return [[key, value]];
    if (Array.isArray(value)) return [[key, `${value.length}`]];
    return [];
  });
}

/** What an auditor reads first: did the run find anything, in a sentence (every report carries `ok`). */
export function runVerdict(kind: AuditRunKind, result: Record<string, unknown> | null): { ok: boolean; text: Bilingual } | null {
  if (!result || typeof result.ok !== 'boolean') return null;
  const n = (key: string): number => {
    const value = result[key];
    return typeof value === 'number' ? value : 0;
  };
  const listed = (key: string): number => (Array.isArray(result[key]) ? (result[key] as unknown[]).length : 0);
  const ok = result.ok;
  switch (kind) {
    case 'replay':
      return {
        ok,
        text: ok
          ? {
              zh: `重放通过：${n('decisionsReplayed')} 项决定重新计算结果一致`,
              en: `Replay passed: ${n('decisionsReplayed')} decisions re-run with the same results`,
            }
          : { zh: `重放发现 ${listed('mismatches')} 处不一致`, en: `Replay found ${listed('mismatches')} mismatches` },
      };
    case 'ledger':
      return {
        ok,
        text: ok
          ? {
              zh: `账本校验通过：核对 ${n('eventsRead')} 条事件、${n('headsChecked')} 个签名树头，未发现篡改`,
              en: `Ledger verified: ${n('eventsRead')} events and ${n('headsChecked')} signed heads checked, no tampering found`,
            }
          : { zh: `账本校验发现问题（${listed('problems')} 项）`, en: `The ledger check found problems (${listed('problems')})` },
      };
    case 'chains':
      return {
        ok,
        text: ok
          ? { zh: '哈希链校验通过：未发现断链', en: 'Hash chains verified: none broken' }
          : { zh: `哈希链校验发现 ${listed('broken')} 处断链`, en: `${listed('broken')} broken hash chains found` },
      };
  }
}

/** The report's figures under names an auditor reads (the raw key when not listed here). */
export const FIGURE_LABELS: Record<string, Bilingual> = {
  ok: { zh: '结论', en: 'Passed' },
  mode: { zh: '方式', en: 'Mode' },
  eventsRead: { zh: '读取事件数', en: 'Events read' },
  batches: { zh: '批次', en: 'Batches' },
  headsChecked: { zh: '核对签名树头数', en: 'Signed heads checked' },
  resumeRejected: { zh: '未能续接的原因', en: 'Why it could not resume' },
  problems: { zh: '问题', en: 'Problems' },
  decisionsInLog: { zh: '日志中的决定数', en: 'Decisions in the log' },
  decisionsReplayed: { zh: '重放决定数', en: 'Decisions replayed' },
  decisionsChecked: { zh: '核对决定数', en: 'Decisions checked' },
  paymentsChecked: { zh: '核对发放数', en: 'Payments checked' },
  mismatches: { zh: '不一致', en: 'Mismatches' },
  streamsChecked: { zh: '核对事件流数', en: 'Streams checked' },
  eventsChecked: { zh: '核对事件数', en: 'Events checked' },
  broken: { zh: '断链', en: 'Broken' },
};
