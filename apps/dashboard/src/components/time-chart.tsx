import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { useI18n } from '../app/contexts';
import type { TrendModel } from '../domain/trend-model';
import { NO_VALUE } from '../format/format';
import { CHART_COLOURS } from './palette';

interface TimeChartProps {
  model: TrendModel;
  /** Also the chart's accessible name. */
  title: string;
  unit: string;
  digits: number;
  /** Share of the window's height for the plot, so a wall screen gets a large chart and a tablet a fitting one. */
  heightShare?: number;
  /** A value's words instead of its number where it has some: a multi-state point's state label. */
  label?: (value: number) => string | null;
}

const WINDOW_REFRESH_MS = 30_000;

/**
 * A uPlot time chart of a TrendModel, in the site's time zone. The model tells it when data changed (at
 * most once per animation frame); the x window always ends now, so the live edge is at the right.
 */
export function TimeChart({ model, title, unit, digits, heightShare = 0.3, label }: TimeChartProps) {
  const { f, t, locale } = useI18n();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const spanS = model.spec.spanMs / 1000;
    const size = () => ({
      width: Math.max(320, element.clientWidth),
      height: Math.round(Math.min(640, Math.max(200, innerHeight * heightShare))),
    });
    const series = model.series();
    const format = (value: number | null | undefined) =>
      value === null || value === undefined ? NO_VALUE : (label?.(value) ?? `${f.number(value, digits)} ${unit}`);
    const describe = () => {
      const latest = model.latest(0);
      element.setAttribute('aria-label', t('chart.summary', { title, value: latest ? format(latest.value) : NO_VALUE }));
      // Where the first line is broken for missing data (trend-model.ts withGaps): drawn as a gap, never a straight line across.
      element.dataset.gaps = String(model.gapCount(0));
    };

    const options: uPlot.Options = {
      ...size(),
      tzDate: (ts) => (f.zone ? uPlot.tzDate(new Date(ts * 1000), f.zone) : new Date(ts * 1000)),
      scales: {
        x: {
          time: true,
          range: () => {
            const nowS = Date.now() / 1000;
            return [nowS - spanS, nowS];
          },
        },
      },
      axes: [
        {
          stroke: CHART_COLOURS.axis,
          grid: { stroke: CHART_COLOURS.grid, width: 1 },
          ticks: { stroke: CHART_COLOURS.grid, width: 1 },
          font: '14px system-ui, sans-serif',
          values: (_u, splits, _axis, _space, increment) =>
            splits.map((split) => (increment >= 86_400 ? f.monthDay(split * 1000) : f.clock(split * 1000))),
        },
        {
          stroke: CHART_COLOURS.axis,
          grid: { stroke: CHART_COLOURS.grid, width: 1 },
          ticks: { stroke: CHART_COLOURS.grid, width: 1 },
          font: '14px system-ui, sans-serif',
          size: 72,
          label: unit,
          labelFont: '14px system-ui, sans-serif',
          values: (_u, splits, _axis, _space, increment) =>
            splits.map((split) => label?.(split) ?? f.number(split, increment >= 1 ? 0 : increment >= 0.1 ? 1 : 2)),
        },
      ],
      series: [
        // Away from the cursor the legend shows each line's newest value rather than dashes.
        {
          label: t('chart.time'),
          value: (u, value, _series, index) => {
            const time = index === null ? u.data[0][u.data[0].length - 1] : value;
            return time === null || time === undefined ? NO_VALUE : f.shortDateTime(time * 1000);
          },
        },
        ...series.map((line): uPlot.Series => ({
          label: line.label,
          stroke: line.color,
          width: line.tail ? 1.5 : 2.5,
          dash: line.tail ? [6, 4] : undefined,
          points: { show: false },
          value: (u, value, seriesIndex, index) => format(index === null ? newest(u.data[seriesIndex]) : value),
        })),
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        draw: [
          (u) =>
            drawLiveEdge(
              u,
              series.map((line) => line.color),
            ),
        ],
      },
    };

    const chart = new uPlot(options, model.columns(), element);
    describe();
    const refresh = () => {
      chart.setData(model.columns());
      describe();
    };
    const stop = model.subscribe(refresh);
    const resize = new ResizeObserver(() => chart.setSize(size()));
    resize.observe(element);
    const onWindowResize = () => chart.setSize(size());
    addEventListener('resize', onWindowResize);
    // Slides the window along even when no value arrives.
    const slide = setInterval(() => {
      model.trim(Date.now());
      refresh();
    }, WINDOW_REFRESH_MS);
    return () => {
      stop();
      resize.disconnect();
      removeEventListener('resize', onWindowResize);
      clearInterval(slide);
      chart.destroy();
    };
  }, [model, locale, f, unit, digits, heightShare, title, label]);

  return <div class="chart" ref={host} role="img" aria-label={title} />;
}

function newest(column: ArrayLike<number | null | undefined>): number | null {
  for (let i = column.length - 1; i >= 0; i--) {
    const value = column[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** A dot on the newest value of each line: where the live edge is. */
function drawLiveEdge(u: uPlot, colours: readonly string[]): void {
  const { ctx } = u;
  const radius = 4 * devicePixelRatio;
  for (let s = 1; s < u.data.length; s++) {
    const ys = u.data[s];
    let i = ys.length - 1;
    while (i >= 0 && (ys[i] === null || ys[i] === undefined)) i--;
    const value = ys[i];
    if (i < 0 || value === null || value === undefined || !u.series[s].show) continue;
    const x = Math.round(u.valToPos(u.data[0][i], 'x', true));
    const y = Math.round(u.valToPos(value, 'y', true));
    ctx.save();
    ctx.beginPath();
    ctx.fillStyle = colours[s - 1];
    ctx.strokeStyle = CHART_COLOURS.background;
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    ctx.restore();
  }
}
