import { useI18n } from '../app/contexts';
import { lineColour } from './palette';

interface MonthBarsProps {
  title: string;
  unit: string;
  months: ReadonlyArray<{ month: string; current: number; baseline: number }>;
  currentLabel: string;
  baselineLabel: string;
}

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { top: 16, right: 12, bottom: 36, left: 72 };

/** Month by month, the period's use beside the baseline's: two bars per month, in SVG. */
export function MonthBars({ title, unit, months, currentLabel, baselineLabel }: MonthBarsProps) {
  const { f } = useI18n();
  const max = Math.max(1, ...months.flatMap((row) => [row.current, row.baseline]));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, months.length);
  const bar = Math.min(36, slot * 0.38);
  const y = (value: number) => PAD.top + plotHeight * (1 - value / max);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * max);
  return (
    <figure class="month-bars" data-testid="month-bars">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} class="bars-grid" />
            <text x={PAD.left - 8} y={y(tick) + 4} text-anchor="end" class="bars-axis">
              {f.number(tick, 0)}
            </text>
          </g>
        ))}
        {months.map((row, index) => {
          const x = PAD.left + slot * index + slot / 2;
          return (
            <g key={row.month}>
              <rect x={x - bar} y={y(row.baseline)} width={bar} height={y(0) - y(row.baseline)} fill={lineColour(1)}>
                <title>{`${row.month} ${baselineLabel}: ${f.number(row.baseline, 0)} ${unit}`}</title>
              </rect>
              <rect x={x} y={y(row.current)} width={bar} height={y(0) - y(row.current)} fill={lineColour(0)}>
                <title>{`${row.month} ${currentLabel}: ${f.number(row.current, 0)} ${unit}`}</title>
              </rect>
              <text x={x} y={HEIGHT - PAD.bottom + 20} text-anchor="middle" class="bars-axis">
                {row.month}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="bars-legend">
        <span>
          <span class="swatch" style={{ background: lineColour(1) }} aria-hidden="true" /> {baselineLabel}
        </span>
        <span>
          <span class="swatch" style={{ background: lineColour(0) }} aria-hidden="true" /> {currentLabel}
        </span>
        <span class="muted">{unit}</span>
      </figcaption>
    </figure>
  );
}
