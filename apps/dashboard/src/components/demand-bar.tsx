import { useI18n } from '../app/contexts';
import { demandLevel, QUARTER_HOUR_MS } from '../domain/energy';
import type { Tone } from './level-badge';
import { LevelBadge } from './level-badge';

interface DemandBarProps {
  demandKw: number | null;
  contractKw: number | null;
  intervalStart: number;
  peakKw: number | null;
  /** Where the interval will end at the present load. */
  forecastKw: number | null;
}

const TONES = { normal: 'ok', near: 'warn', over: 'bad' } as const satisfies Record<string, Tone>;

/** The running 15-minute demand against the contract capacity, as a bar with the numbers beside it. */
export function DemandBar({ demandKw, contractKw, intervalStart, peakKw, forecastKw }: DemandBarProps) {
  const { t, f } = useI18n();
  const level = demandKw !== null && contractKw ? demandLevel(demandKw, contractKw) : null;
  const ratio = demandKw !== null && contractKw ? demandKw / contractKw : null;
  // The bar's scale runs to 120% of the contract so an excess stays visible.
  const fill = ratio === null ? 0 : Math.min(1, ratio / 1.2);
  return (
    <section class="panel tile demand" aria-labelledby="demand-label">
      <h2 id="demand-label" class="tile-label">
        {t('overview.demand')}
      </h2>
      <p class="tile-value">
        <span data-testid="demand">{f.number(demandKw, 0)}</span>
        <span class="unit"> kW</span>
        {level && (
          <>
            {' '}
            <LevelBadge tone={TONES[level]} text={t(`demand.${level}`)} />
          </>
        )}
      </p>
      {contractKw ? (
        <>
          <div
            class={`bar level-${level ?? 'normal'}`}
            role="meter"
            aria-label={t('overview.demand')}
            aria-valuemin={0}
            aria-valuemax={contractKw}
            aria-valuenow={demandKw ?? 0}
            aria-valuetext={
              ratio === null ? undefined : t('overview.demandShare', { percent: f.percent(ratio), contract: f.number(contractKw) })
            }
          >
            <div class="bar-fill" style={{ width: `${fill * 100}%` }} />
            <div class="bar-contract" style={{ left: `${100 / 1.2}%` }} aria-hidden="true" />
          </div>
          <p class="tile-note">{t('overview.demandShare', { percent: f.percent(ratio), contract: f.number(contractKw) })}</p>
        </>
      ) : (
        <p class="tile-note">{t('overview.noContract')}</p>
      )}
      {forecastKw !== null && (
        <p class="tile-note" data-testid="demand-forecast">
          {t('overview.demandForecast', { value: f.number(forecastKw, 0) })}
          {contractKw && forecastKw > contractKw ? (
            <>
              {' '}
              <LevelBadge tone="bad" text={t('demand.forecastOver')} />
            </>
          ) : null}
        </p>
      )}
      <p class="tile-note">
        {t('overview.demandInterval', { from: f.clock(intervalStart), to: f.clock(intervalStart + QUARTER_HOUR_MS) })}
        {peakKw !== null && ` · ${t('overview.peakToday', { value: f.number(peakKw, 0) })}`}
      </p>
    </section>
  );
}
