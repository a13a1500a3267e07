/**
 * A degree histogram (log2 bins) as an ECharts bar chart. Tree-shaken
 * echarts/core imports, as LineChart does, rather than the whole 'echarts'
 * bundle; one instance per mount, disposed on unmount.
 */
import { useEffect, useRef, type JSX } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { DegreeBin } from '../../core/data/stats';
import { binLabel } from './mapping';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export function DegreeChart(props: { title: string; bins: DegreeBin[]; testId?: string; height?: number }): JSX.Element {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    chart.current = echarts.init(el.current!, undefined, { renderer: 'canvas' });
    const onResize = () => chart.current?.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis' },
        grid: { left: 56, right: 12, top: 12, bottom: 40 },
        xAxis: { type: 'category', name: 'training interactions', nameLocation: 'middle', nameGap: 26, data: props.bins.map(binLabel) },
        // Log scale: the tail bins are orders of magnitude smaller than the head. Zero counts have no bar.
        yAxis: { type: 'log', name: 'count', min: 1, logBase: 10 },
        series: [{ type: 'bar', data: props.bins.map(b => (b.count > 0 ? b.count : null)), itemStyle: { color: '#3a6ea5' } }],
      },
      { notMerge: true },
    );
  }, [props.bins]);

  return (
    <figure className="chart" data-testid={props.testId} data-bins={props.bins.length}>
      <figcaption>{props.title}</figcaption>
      <div ref={el} style={{ height: props.height ?? 200 }} />
    </figure>
  );
}
