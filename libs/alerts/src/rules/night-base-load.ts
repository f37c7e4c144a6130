import { ActiveSchedule } from './rule-definition';
import { isActive } from './schedule';

/**
 * The building's normal night load for the night patrol (夜間用電巡檢): a high percentile of the kW
 * readings that fall in the night schedule (on the site's clock) over the history given (e.g. the previous 14 nights).
 * Null when there are too few night readings to say.
 */
export function nightBaseLoadKw(
  samples: readonly { ts: number; value: number }[],
  options: { zone: string; schedule?: ActiveSchedule; percentile?: number },
): number | null {
  const schedule = options.schedule ?? { preset: 'nights' };
  const night = samples
    .filter((sample) => isActive(schedule, sample.ts, options.zone) && Number.isFinite(sample.value))
    .map((sample) => sample.value)
    .sort((a, b) => a - b);
  if (night.length < 20) return null;
  const rank = (options.percentile ?? 0.9) * (night.length - 1);
  const low = Math.floor(rank);
  return night[low] + (night[Math.min(low + 1, night.length - 1)] - night[low]) * (rank - low);
}
