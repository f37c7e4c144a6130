import { formatRocDate, Lang } from '@hallwatch/calc';
import { addDays } from './report-period';
import type { DailyUsage } from './savings-data.repository';

/** What of a period's use was estimated across meter gaps (docs/rollups.md, "Gaps"). */
export interface EstimatedUsage {
  amount: number;
  /** Of the period's use; null when the period used nothing. */
  percent: number | null;
  /** Runs of consecutive days holding an estimate, with the amount estimated in each run. */
  spans: Array<{ from: string; to: string; amount: number }>;
}

/** Ascending dates grouped into runs of consecutive days, each with its day count and summed amount. */
function dayRuns(days: ReadonlyArray<{ date: string; amount: number }>): Array<{ from: string; to: string; days: number; amount: number }> {
  const runs: Array<{ from: string; to: string; days: number; amount: number }> = [];
  for (const { date, amount } of days) {
    const last = runs.at(-1);
    if (last && addDays(last.to, 1) === date) {
      last.to = date;
      last.days += 1;
      last.amount += amount;
    } else runs.push({ from: date, to: date, days: 1, amount });
  }
  return runs;
}

export function estimatedUsage(days: DailyUsage[]): EstimatedUsage {
  const total = days.reduce((sum, day) => sum + day.usage, 0);
  const amount = days.reduce((sum, day) => sum + day.estimated, 0);
  const estimatedDays = [...days]
    .sort((a, b) => a.date.localeCompare(b.date))
    .filter((day) => day.estimated > 0)
    .map((day) => ({ date: day.date, amount: day.estimated }));
  const spans = dayRuns(estimatedDays).map(({ from, to, amount }) => ({ from, to, amount }));
  return { amount, percent: total > 0 ? (amount / total) * 100 : null, spans };
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
/** The first few runs are named; a report about a year of a broken meter must stay readable. */
const NAMED_SPANS = 6;

/** The data-quality note for one period, in the report's language; null when nothing was estimated. */
export function estimatedUsageNote(estimate: EstimatedUsage, which: 'period' | 'baseline', unit: string, lang: Lang): string | null {
  if (estimate.amount <= 0) return null;
  const shown = estimate.spans.slice(0, NAMED_SPANS);
  const more = estimate.spans.length - shown.length;
  if (lang === 'zh-TW') {
    const percent = estimate.percent === null ? '' : `（占${estimate.percent.toFixed(1)}%）`;
    const roc = (date: string) => formatRocDate(date);
    const spans = shown.map(
      (span) => `${span.from === span.to ? roc(span.from) : `${roc(span.from)}至${roc(span.to)}`}共${whole(span.amount)}${unit}`,
    );
    const rest = more > 0 ? `，另有${more}段` : '';
    return `${which === 'period' ? '本期' : '基期'}有${whole(estimate.amount)}${unit}${percent}為電表資料中斷期間的估計值，依時間平均分攤：${spans.join('；')}${rest}。`;
  }
  const percent = estimate.percent === null ? '' : ` (${estimate.percent.toFixed(1)} %)`;
  const spans = shown.map((span) => `${span.from === span.to ? span.from : `${span.from} to ${span.to}`}: ${whole(span.amount)} ${unit}`);
  const rest = more > 0 ? `; and ${more} more` : '';
  const label = which === 'period' ? 'Of the period' : 'Of the baseline';
  return `${label}, ${whole(estimate.amount)} ${unit}${percent} is estimated across meter gaps, spread evenly over each gap: ${spans.join('; ')}${rest}.`;
}

/** A run of days of a period without any data: [from, to] inclusive. */
export interface MissingSpan {
  from: string;
  to: string;
  days: number;
}

/** The runs of a period's days that have no data. */
export function missingSpans(period: { from: string; to: string }, days: DailyUsage[]): MissingSpan[] {
  const present = new Set(days.map((day) => day.date));
  const missing: Array<{ date: string; amount: number }> = [];
  for (let date = period.from; date < period.to; date = addDays(date, 1)) if (!present.has(date)) missing.push({ date, amount: 0 });
  return dayRuns(missing).map(({ from, to, days: count }) => ({ from, to, days: count }));
}

/** The data-quality note naming the days without data, in the report's language; null when none. */
export function missingNote(spans: MissingSpan[], which: 'period' | 'baseline', lang: Lang): string | null {
  if (spans.length === 0) return null;
  const shown = spans.slice(0, NAMED_SPANS);
  const more = spans.length - shown.length;
  const total = spans.reduce((sum, span) => sum + span.days, 0);
  if (lang === 'zh-TW') {
    const roc = (date: string) => formatRocDate(date);
    const list = shown.map((span) => (span.days === 1 ? roc(span.from) : `${roc(span.from)}至${roc(span.to)}（${span.days}天）`));
    const rest = more > 0 ? `，另有${more}段` : '';
    return `${which === 'period' ? '本期' : '基期'}共${total}天沒有資料，未計入用量：${list.join('；')}${rest}。`;
  }
  const list = shown.map((span) => (span.days === 1 ? span.from : `${span.from} to ${span.to} (${span.days} days)`));
  const rest = more > 0 ? `; and ${more} more` : '';
  const label = which === 'period' ? 'The period' : 'The baseline';
  return `${label} has no data on ${total} ${total === 1 ? 'day' : 'days'}, counted as missing, not as zero: ${list.join('; ')}${rest}.`;
}
