import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { LinesChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { cancelChartDraw, enqueueChartDraw, enqueueChartInit } from '../charts/drawQueue';
import type { Group } from './colour';
import { tooltipHtml } from './escape';

echarts.use([ScatterChart, LinesChart, GridComponent, LegendComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

export interface ScatterViewProps {
  testId: string;
  title: string;
  /** Row-major rows x 2 layout, or null while nothing is computed yet. */
  embedding: Float32Array | null;
  groups: Group[];
  /** Tooltip lines for a row (raw text; clipped and escaped here). */
  labelOf: (pos: number) => string[];
  onPick?: (pos: number) => void;
  /** Pairs of rows joined by a line: [a0, b0, a1, b1, …]. */
  links?: Int32Array;
  /** Rows drawn with a ring (the picked node). */
  highlight?: number[];
  /** Short status under the title (e.g. 't-SNE 120/750'). */
  status?: string;
  height?: number;
}

/** Below this many points a series uses normal mode (hover emphasis); above, large mode. */
const LARGE_THRESHOLD = 300;

export function buildSeries(embedding: Float32Array, groups: Group[], links: Int32Array | undefined, highlight: number[] | undefined) {
  const total = groups.reduce((a, g) => a + g.members.length, 0);
  const size = total > 4000 ? 3 : total > 1000 ? 4 : 6;
  const series: Record<string, unknown>[] = [];
  const meta: (Int32Array | null)[] = [];
  if (links && links.length > 0) {
    const data = [];
    for (let t = 0; t + 1 < links.length; t += 2) {
      const a = links[t]!;
      const b = links[t + 1]!;
      data.push({ coords: [[embedding[2 * a]!, embedding[2 * a + 1]!], [embedding[2 * b]!, embedding[2 * b + 1]!]] });
    }
    // large: one path for all links instead of one element per line (500 Line elements cost
    // ~30-40 ms per overlay redraw); the links are silent, so per-line hover is not needed.
    series.push({ type: 'lines', coordinateSystem: 'cartesian2d', silent: true, large: true, largeThreshold: 0, z: 1, data, lineStyle: { color: '#777', width: 0.6, opacity: 0.35 }, animation: false });
    meta.push(null);
  }
  for (const g of groups) {
    const data = new Float32Array(g.members.length * 2);
    for (let t = 0; t < g.members.length; t++) {
      const p = g.members[t]!;
      data[2 * t] = embedding[2 * p]!;
      data[2 * t + 1] = embedding[2 * p + 1]!;
    }
    series.push({
      type: 'scatter',
      name: g.name,
      z: 2,
      data,
      dimensions: ['x', 'y'],
      symbol: g.symbol ?? 'circle',
      symbolSize: g.symbol === 'triangle' ? size + 2 : size,
      large: true,
      largeThreshold: LARGE_THRESHOLD,
      progressive: 4000,
      progressiveThreshold: 8000,
      itemStyle: { color: g.colour, opacity: 0.75 },
      animation: false,
    });
    meta.push(g.members);
  }
  if (highlight && highlight.length > 0) {
    series.push({
      type: 'scatter',
      name: '\u0000picked',
      silent: true,
      z: 3,
      symbolSize: 14,
      data: highlight.map((p) => [embedding[2 * p]!, embedding[2 * p + 1]!]),
      itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#000', borderWidth: 2 },
      animation: false,
    });
    meta.push(null);
  }
  return { series, meta, points: total };
}

/**
 * One 2-D scatter of a space. Points go to ECharts as one Float32Array per colour group (large
 * mode, progressive rendering), never as per-point React elements or objects, so 10k points
 * redraw without stalling the page; redraws go through a page-wide queue that draws one chart per
 * frame, so layouts streamed by t-SNE are applied at most once per frame per view.
 */
export function ScatterView(props: ScatterViewProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const meta = useRef<(Int32Array | null)[]>([]);
  const latest = useRef(props);
  latest.current = props;
  const [ready, setReady] = useState(false);
  const resizeKey = useRef({}).current;

  useEffect(() => {
    let c: echarts.ECharts | null = null;
    let ro: ResizeObserver | null = null;
    // Created one chart per task (see charts/drawQueue.ts), then drawn through the frame queue.
    const cancel = enqueueChartInit(() => {
      const inst = echarts.init(el.current!, undefined, { renderer: 'canvas' });
      c = inst;
      chart.current = inst;
      inst.on('click', (p: unknown) => {
        const { seriesIndex, dataIndex } = p as { seriesIndex?: number; dataIndex?: number };
        const members = seriesIndex === undefined ? null : meta.current[seriesIndex];
        const pos = members && dataIndex !== undefined ? members[dataIndex] : undefined;
        if (pos !== undefined) latest.current.onPick?.(pos);
      });
      // Layout changes resize every view at once; a resize redraws, so they go one per task too.
      ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => enqueueChartDraw(resizeKey, () => inst.resize()));
      ro?.observe(el.current!);
      setReady(true);
    });
    return () => {
      cancel();
      cancelChartDraw(resizeKey);
      ro?.disconnect();
      cancelChartDraw(el);
      c?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    enqueueChartDraw(el, () => {
      const c = chart.current;
      const { embedding, groups, links, highlight, labelOf } = latest.current;
      if (!c) return;
      if (!embedding) {
        meta.current = [];
        c.setOption({ series: [] }, { replaceMerge: ['series'] });
        return;
      }
      const built = buildSeries(embedding, groups, links, highlight);
      meta.current = built.meta;
      c.setOption(
        {
          animation: false,
          grid: { left: 8, right: 8, top: 28, bottom: 8 },
          legend: { type: 'scroll', top: 0, data: [...new Set(groups.map((g) => g.name))] },
          xAxis: { type: 'value', scale: true, show: false },
          yAxis: { type: 'value', scale: true, show: false },
          dataZoom: [
            { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
            { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
          ],
          tooltip: {
            trigger: 'item',
            className: 'inspect-tooltip',
            confine: true,
            // ECharts writes white-space:nowrap inline, which beats the class: long titles must wrap.
            extraCssText: 'white-space:normal;overflow-wrap:anywhere;max-width:22rem;',
            formatter: (p: unknown) => {
              const { seriesIndex, dataIndex, seriesName } = p as { seriesIndex?: number; dataIndex?: number; seriesName?: string };
              const members = seriesIndex === undefined ? null : meta.current[seriesIndex];
              const pos = members && dataIndex !== undefined ? members[dataIndex] : undefined;
              if (pos === undefined) return '';
              return tooltipHtml([...labelOf(pos), seriesName ?? '']);
            },
          },
          series: built.series,
        },
        { replaceMerge: ['series'] },
      );
    });
  }, [ready, props.embedding, props.groups, props.links, props.highlight]);

  const points = props.embedding ? props.groups.reduce((a, g) => a + g.members.length, 0) : 0;
  return (
    <figure className="inspect-view" data-testid={props.testId} data-points={points}>
      <figcaption>
        {props.title}
        {props.status ? <span className="inspect-status"> — {props.status}</span> : null}
      </figcaption>
      <div ref={el} className="inspect-canvas" style={{ height: props.height ?? 300 }} />
    </figure>
  );
}
