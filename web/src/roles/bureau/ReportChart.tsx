import { Skeleton } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { ChartData } from './report-data';

/**
 * A bar chart drawn by ECharts, imported on first render: ECharts (the bar chart with zrender, ~170 KB gzip)
 * stays out of the sign-in and worker first load, in the `charts` chunk only this screen asks for.
 * Only the bar chart and the parts it uses are registered (echarts-bar.ts), not the whole library.
 */
export function ReportChart({ data, height = 320, ariaLabel }: { data: ChartData; height?: number; ariaLabel: string }) {
  const element = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  // Callers build the data on each render: redraw when its content changes, not its identity.
  const content = JSON.stringify(data);
  useEffect(() => {
    let disposed = false;
    let chart: { dispose(): void; resize(): void } | undefined;
    const resize = () => chart?.resize();
    void (async () => {
      const { init } = await import('./echarts-bar');
      if (disposed || !element.current) return;
      const instance = init(element.current);
      chart = instance;
      const twoAxes = data.series.some((s) => s.axis === 1);
      instance.setOption({
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: twoAxes ? 64 : 16, top: 36, bottom: 48 },
        xAxis: { type: 'category', data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } },
        yAxis: twoAxes ? [{ type: 'value' }, { type: 'value' }] : [{ type: 'value' }],
        series: data.series.map((s) => ({ type: 'bar', name: s.name, data: s.values, yAxisIndex: twoAxes ? s.axis : 0 })),
      });
      globalThis.addEventListener('resize', resize);
      setReady(true);
    })();
    return () => {
      disposed = true;
      globalThis.removeEventListener('resize', resize);
      chart?.dispose();
    };
  }, [content]);
  return (
    <div style={{ position: 'relative', width: '100%', height }}>
      {!ready && <Skeleton active style={{ position: 'absolute' }} />}
      <div ref={element} role="img" aria-label={ariaLabel} data-chart-ready={ready ? 'true' : 'false'} style={{ width: '100%', height }} />
    </div>
  );
}
