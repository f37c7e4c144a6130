import type { Coverage } from '../api/api-types';
import { useI18n } from '../app/contexts';

/** A quarter hour: data that starts later than this after the period's start is said to. */
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * How much of a period has data, as the server counted it: "資料涵蓋 62%", with when the data
 * began if that was well into the period, or "no data". Nothing when the period is whole.
 */
export function CoverageNote({ coverage, periodFrom, testId }: { coverage: Coverage | undefined; periodFrom: number; testId: string }) {
  const { t, f } = useI18n();
  if (!coverage || !coverage.partial) return null;
  const percent = f.percent(coverage.share, 0);
  const text =
    coverage.quartersWithData === 0
      ? t('coverage.none')
      : coverage.firstData !== null && Date.parse(coverage.firstData) - periodFrom > QUARTER_HOUR_MS
        ? t('coverage.since', { percent, time: f.clock(Date.parse(coverage.firstData)) })
        : t('coverage.share', { percent });
  return (
    <span class="coverage-note" data-testid={testId} data-share={coverage.share ?? ''}>
      {text}
    </span>
  );
}
