import type { Locale } from '../format/format';
import type { PointInfo } from '../api/api-types';
import type { LineHistory } from './trend-model';

/** How many raw readings of the histories the source marked uncertain (the API's `quality`). */
export function uncertainCount(histories: readonly LineHistory[]): number {
  let count = 0;
  for (const history of histories) if (history.bucket === 'raw') for (const row of history.rows) if (row.quality === 'uncertain') count++;
  return count;
}

/** A multi-state point's label for a value in the page's language (English where no Chinese one is given); null for another point, or a value that is no state. */
export function stateLabel(point: Pick<PointInfo, 'states'> | undefined, value: number | null | undefined, locale: Locale): string | null {
  const state = value === null || value === undefined ? undefined : point?.states?.find((candidate) => candidate.value === value);
  if (!state) return null;
  return locale === 'zh-TW' ? (state['zh-TW'] ?? state.en) : state.en;
}

/** A multi-state point's states as the page shows them: `0 停機 · 1 運轉 · 2 故障`; null for other points. */
export function stateLegend(point: Pick<PointInfo, 'states'>, locale: Locale): string | null {
  if (!point.states) return null;
  return point.states.map((state) => `${state.value} ${stateLabel(point, state.value, locale)}`).join(' · ');
}
