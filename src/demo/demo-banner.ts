import type { DemoMode, DemoStatus } from './demo-mode';

/** "2023-12-20 09:00" on the county's clock. */
const countyTime = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );

/** The demo lines of the start banner, Chinese first with English alongside. */
export function demoBannerLines(status: DemoStatus, address: string): string[] {
  const days = Math.round(-status.clockOffsetMs / 86_400_000);
  return [
    `  演示模式 Demo mode: 县里的时钟 county clock ${countyTime(status.date)}（北京时间 Asia/Shanghai；比真实时间早 ${days} 天 ${days} days behind real time）`,
    `  演示用户 Demo users:  npm run -s token -- --demo   或 or   curl ${address}/api/v1/demo/users`,
    `  ${demoProgressLine(status)}`,
  ];
}

/** One line saying how far the demo county's load is. */
export function demoProgressLine(status: DemoStatus): string {
  const { load } = status;
  switch (load.state) {
    case 'waiting':
      return `演示县 Demo county (${load.scale}): 查看是否已载入 checking whether it is loaded — GET /ready 显示进度 shows progress`;
    case 'loading': {
      if (!load.chapter) return `演示县 Demo county (${load.scale}): 后台载入中 loading in the background — GET /ready 显示进度 shows progress`;
      const pct = load.total > 0 ? ` ${Math.min(100, Math.floor((load.done / load.total) * 100))}%` : '';
      return `演示县 Demo county (${load.scale}): 载入中 loading「${load.chapter}」${load.done}/${load.total}${pct}`;
    }
    case 'loaded':
      return `演示县 Demo county (${load.scale}): 已载入，服务就绪 loaded, ready${load.loadedAt ? ` (${load.loadedAt})` : ''}`;
    case 'failed':
      return `演示县 Demo county (${load.scale}): 未载入 not loaded — ${load.error ?? ''}`;
  }
}

/**
 * Prints progress while the county loads: on each new chapter and change of state, and at most
 * every `everyMs` in between, so a terminal or `docker logs` shows it moving without flooding.
 */
export function printDemoProgress(demo: DemoMode, write: (line: string) => void, everyMs = 5000, now: () => number = Date.now): void {
  let lastChapter: string | null = null;
  let lastState = demo.status().load.state;
  let lastAt = 0;
  demo.onProgress((status) => {
    const { state, chapter } = status.load;
    const due = state !== lastState || chapter !== lastChapter || now() - lastAt >= everyMs;
    if (!due) return;
    lastState = state;
    lastChapter = chapter;
    lastAt = now();
    write(`  ${demoProgressLine(status)}`);
  });
}
