import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

/**
 * The part of ECharts the statistics screen draws with, imported statically so the bundler keeps
 * only these (a dynamic `import('echarts/charts')` would keep every chart type). ReportChart loads
 * this module lazily: it is the `charts` chunk, fetched on the statistics screen only.
 */
use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { init };
