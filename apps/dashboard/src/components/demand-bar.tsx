import type { OverviewView } from '../api/api-types';
import { useI18n } from '../app/contexts';
import type { Tone } from './level-badge';
import { LevelBadge } from './level-badge';

interface DemandBarProps {
  /** The overview's demand as the server serves it (undefined while it loads). */
  demand: OverviewView['demand'] | undefined;
}

const TONES = { normal: 'ok', near: 'warn', over: 'bad' } as const satisfies Record<string, Tone>;

/**
 * The running quarter hour's 15-minute demand against the contract capacity, as a bar with the
 * numbers beside it: the demand counted so far (its energy × 4, what the utility's meter shows),
 * where it will end at the present load, and today's peak. Every number is the server's.
 */
export function DemandBar({ demand }: DemandBarProps) {
  const { t, f } = useI18n();
  const quarter = demand?.quarter;
  const contractKw = demand?.contractCapacityKw ?? null;
  const share = quarter?.share ?? null;
  // The bar's scale runs to 120% of the contract so an excess stays visible.
  const fill = share === null ? 0 : Math.min(1, share / 1.2);
  return (
    <section class="panel tile demand" aria-labelledby="demand-label">
      <h2 id="demand-label" class="tile-label">
        {t('overview.demand')}
      </h2>
      <p class="tile-value">
        <span data-testid="demand">{f.number(quarter?.kW, 0)}</span>
        <span class="unit"> kW</span>
        {quarter?.level && (
          <>
            {' '}
            <LevelBadge tone={TONES[quarter.level]} text={t(`demand.${quarter.level}`)} />
          </>
        )}
      </p>
      {demand && !contractKw ? (
        <p class="tile-note">{t('overview.noContract')}</p>
      ) : (
        <>
          <div
            class={`bar level-${quarter?.level ?? 'normal'}`}
            role="meter"
            aria-label={t('overview.demand')}
            aria-valuemin={0}
            aria-valuemax={contractKw ?? 0}
            aria-valuenow={quarter?.kW ?? 0}
            aria-valuetext={
              share === null ? undefined : t('overview.demandShare', { percent: f.percent(share), contract: f.number(contractKw) })
            }
          >
            <div class="bar-fill" style={{ width: `${fill * 100}%` }} />
            <div class="bar-contract" style={{ left: `${100 / 1.2}%` }} aria-hidden="true" />
          </div>
          <p class="tile-note">{t('overview.demandShare', { percent: f.percent(share), contract: f.number(contractKw) })}</p>
        </>
      )}
      {quarter && quarter.forecastKw !== null && (
        <p class="tile-note" data-testid="demand-forecast">
          {t('overview.demandForecast', { value: f.number(quarter.forecastKw, 0) })}
          {quarter.forecastLevel === 'over' && (
            <>
              {' '}
              <LevelBadge tone="bad" text={t('demand.forecastOver')} />
            </>
          )}
        </p>
      )}
      {quarter && (
        <p class="tile-note">
          {t('overview.demandInterval', {
            from: f.clock(Date.parse(quarter.from)),
            to: f.clock(Date.parse(quarter.to)),
            through: f.clock(Date.parse(quarter.through)),
          })}
          {demand?.peakToday && ` · ${t('overview.peakToday', { value: f.number(demand.peakToday.kW, 0) })}`}
        </p>
      )}
    </section>
  );
}
