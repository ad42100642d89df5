import type { DemoSummary } from './seed';

/** What the chapters count, as the bureau names it. */
const LABELS: Record<string, string> = {
  towns: '乡镇',
  villages: '村（社区）',
  groups: '村（居）民小组',
  stations: '社工站/服务点',
  stationsOpened: '已运营（六有达标）',
  qualityStations: '优质社工站',
  workers: '社工',
  certified: '持证社工',
  townLinks: '县级挂联乡镇',
  villageWorkerLinks: '镇级联系村级社工',
  groupsAssigned: '包保小组',
  groupsHandedOver: '年中交接小组',
  trainingSessions: '培训场次',
  mentoringPairs: '老带新结对',
  officials: '审核确认人员',
  households: '户',
  people: '人',
  specialHouseholds: '特殊群体户',
  specialMemberships: '特殊群体身份',
  visits: '走访',
  groupVisits: '小组走访',
  householdVisits: '入户走访',
  reviews: '动态复核',
  recordedLate: '补录走访',
};

/** The final table of `npm run seed:demo`: chapter, item, count, and whether it was already loaded. */
export function formatDemoSummary(summary: DemoSummary): string {
  const rows: [string, string, string][] = [];
  for (const c of summary.chapters) {
    const note = c.skipped ? '（已载入，跳过）' : '';
    for (const [key, n] of Object.entries(c.counts)) rows.push([c.chapter + note, `${LABELS[key] ?? key} (${key})`, n.toLocaleString('en-US')]);
  }
  const width = (i: 0 | 1 | 2) => Math.max(...rows.map((r) => displayWidth(r[i])), 6);
  const w = [width(0), width(1), width(2)] as const;
  const line = (r: [string, string, string]) => `${pad(r[0], w[0])}  ${pad(r[1], w[1])}  ${' '.repeat(w[2] - displayWidth(r[2]))}${r[2]}`;
  const seconds = (summary.ms / 1000).toFixed(1);
  const rate = summary.ms > 0 ? Math.round(summary.eventsAppended / (summary.ms / 1000)) : 0;
  return [
    `演示县已载入 (demo county loaded): scale ${summary.scale}, seed ${summary.seed}${summary.counties > 1 ? `, ${summary.counties} counties` : ''}`,
    '',
    line(['chapter', 'item', 'count']),
    ...rows.map(line),
    '',
    `新增事件 ${summary.eventsAppended.toLocaleString('en-US')} events appended in ${seconds} s (${rate} events/s)${summary.eventsAppended === 0 ? ' — 已全部载入，未追加 (already loaded: nothing appended)' : ''}`,
  ].join('\n');
}

/** Han characters take two columns in a terminal. */
function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return n;
}
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
