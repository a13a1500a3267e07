import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LineChart as ELine } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { cancelChartDraw, enqueueChartDraw, enqueueChartInit } from './drawQueue';

echarts.use([ELine, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export interface Series {
  name: string;
  points: [number, number][];
}

/**
 * A line chart that redraws by merging new data into one ECharts instance
 * (no re-creation), so live updates stay cheap. Labels are plain text: ECharts
 * renders series names on canvas, never as HTML, and the tooltip formatter
 * escapes them.
 */
export function LineChart(props: { title: string; series: Series[]; xName: string; logY?: boolean; height?: number; testId?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const cancel = enqueueChartInit(() => {
      chart.current = echarts.init(el.current!, undefined, { renderer: 'canvas' });
      setReady(true);
    });
    const onResize = () => chart.current?.resize();
    window.addEventListener('resize', onResize);
    return () => {
      cancel();
      cancelChartDraw(el);
      window.removeEventListener('resize', onResize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!ready) return;
    enqueueChartDraw(el, () => chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toPrecision(4) : String(v)) },
        legend: { type: 'scroll', top: 0 },
        grid: { left: 56, right: 16, top: 32, bottom: 36 },
        xAxis: { type: 'value', name: props.xName, nameLocation: 'middle', nameGap: 24, min: 0, axisLabel: { formatter: (v: number) => String(Number(v.toFixed(2))) } },
        yAxis: { type: props.logY ? 'log' : 'value', scale: true },
        series: props.series.map(s => ({ name: s.name, type: 'line', showSymbol: s.points.length < 40, data: s.points, sampling: 'lttb' })),
      },
      { replaceMerge: ['series'] },
    ));
  }, [ready, props.series, props.logY, props.xName]);

  const points = props.series.reduce((n, s) => n + s.points.length, 0);
  return (
    <figure className="chart" data-testid={props.testId} data-points={points}>
      <figcaption>{props.title}</figcaption>
      <div ref={el} style={{ height: props.height ?? 260 }} />
    </figure>
  );
}
