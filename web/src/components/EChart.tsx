// ECharts with modular imports (echarts/core): only the bar and line charts the cockpit draws.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export function EChart({ option, height = 260, label, onClick }: { option: EChartsCoreOption; height?: number; label: string; onClick?: (p: { dataIndex: number; seriesIndex?: number }) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption(option);
    if (onClick) chart.on('click', (p) => onClick(p as { dataIndex: number; seriesIndex?: number }));
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, onClick]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
