import { useMemo } from 'preact/hooks';
import type { PointAddress } from '../api/api-client';
import { useI18n, useSession } from '../app/contexts';
import { useLiveTick, useLoad, useNow, useSeedLatest } from '../app/hooks';
import { useTrend } from '../app/use-trend';
import { AlertsSummary } from '../components/alerts-summary';
import { CoverageNote } from '../components/coverage-note';
import { DemandBar } from '../components/demand-bar';
import { DemoHistoryBanner } from '../components/demo-history-banner';
import { LoadState } from '../components/load-state';
import { lineColour } from '../components/palette';
import { Tile } from '../components/tile';
import { TimeChart } from '../components/time-chart';
import type { TrendLineSpec } from '../domain/trend-model';

const TREND_SPAN_MS = 6 * 3_600_000;

/** The building at a glance: power, today's energy, demand against the contract, PV, weather, trend. */
export function OverviewPage() {
  const { api, site, model, store, resync, unauthorised } = useSession();
  const { t, f } = useI18n();
  useLiveTick(store);
  const now = useNow(15_000);
  const main = model.mainMeter;
  const mainPower = model.mainPower;
  const { pvPower, outdoorTemperature, outdoorHumidity } = model;

  const seeds = useMemo(() => {
    const points: PointAddress[] = [];
    if (mainPower) points.push(mainPower);
    if (pvPower) points.push(pvPower);
    if (outdoorTemperature) points.push(outdoorTemperature);
    if (outdoorHumidity) points.push(outdoorHumidity);
    return points;
  }, [mainPower, pvPower, outdoorTemperature, outdoorHumidity]);
  useSeedLatest(seeds);

  // Today's energy against yesterday and the baseline weekday, and the running quarter hour's demand:
  // the server's numbers as it serves them, fetched again every 15 seconds and after a reconnection.
  const overview = useLoad(
    (signal) => (main ? api.overview(site.key, signal) : Promise.resolve(null)),
    [site.key, main?.key, now, resync],
    unauthorised,
  );

  const trendLines = useMemo((): TrendLineSpec[] => {
    if (!mainPower) return [];
    const lines: TrendLineSpec[] = [
      {
        label: t('chart.mean', { label: t('overview.powerNote') }),
        tailLabel: t('chart.live', { label: t('overview.powerNote') }),
        color: lineColour(0),
        refs: [mainPower],
      },
    ];
    if (pvPower) lines.push({ label: t('chart.mean', { label: t('overview.pv') }), color: lineColour(1), refs: [pvPower] });
    return lines;
  }, [mainPower, pvPower, t]);
  const trend = useTrend({ bucket: '15m', spanMs: TREND_SPAN_MS, lines: trendLines });

  if (!main) {
    return (
      <>
        <h1 class="page-title">{t('overview.title')}</h1>
        <p class="notice">{t('overview.noMainMeter')}</p>
        <AlertsSummary />
      </>
    );
  }

  const power = mainPower ? store.get(mainPower.asset, mainPower.point) : undefined;
  const energy = overview.data?.energy;
  const demand = overview.data?.demand;
  const pv = pvPower ? store.get(pvPower.asset, pvPower.point) : undefined;
  const outdoorT = outdoorTemperature ? store.value(outdoorTemperature.asset, outdoorTemperature.point) : null;
  const outdoorRh = outdoorHumidity ? store.value(outdoorHumidity.asset, outdoorHumidity.point) : null;

  return (
    <>
      <h1 class="page-title">{t('overview.title')}</h1>
      <DemoHistoryBanner progress={overview.data?.demoHistory} />
      <LoadState loading={false} error={overview.error} onRetry={overview.reload} />
      <div class="tiles">
        <Tile
          id="total-kw"
          className="tile-hero"
          label={t('overview.power')}
          value={f.number(power?.value, 1)}
          unit="kW"
          uncertain={power?.quality === 'uncertain'}
          note={power ? `${t('overview.powerNote')} · ${f.time(power.ts)}` : `${t('overview.powerNote')} · ${t('conn.noValue')}`}
        />
        <Tile
          id="today-kwh"
          label={t('overview.energyToday')}
          value={f.number(energy?.today.kWh, 0)}
          unit="kWh"
          note={
            <>
              {t('overview.energyTodayNote')}
              {energy && energy.today.estimatedKwh > 0 && (
                <span class="tile-estimated" data-testid="today-estimated">
                  <br />
                  {t('overview.estimated', { kwh: f.number(energy.today.estimatedKwh, 0) })}
                </span>
              )}
              {energy?.today.coverage?.partial && (
                <>
                  <br />
                  <CoverageNote coverage={energy.today.coverage} periodFrom={Date.parse(energy.today.from)} testId="today-coverage" />
                </>
              )}
              {energy && (
                <span class="tile-compare" data-testid="today-compare">
                  <br />
                  <span data-testid="vs-yesterday" data-partial={String(!!energy.yesterday.partial)}>
                    {energy.yesterday.kWh === null
                      ? t('overview.vsYesterdayMissing')
                      : t(energy.yesterday.partial ? 'overview.vsYesterdayPartial' : 'overview.vsYesterday', {
                          kwh: f.number(energy.yesterday.kWh, 0),
                          change: change(energy.yesterday.change),
                        })}
                  </span>
                  <br />
                  <span data-testid="vs-baseline" data-partial={String(!!energy.baseline.partial)}>
                    {energy.baseline.kWh === null
                      ? t('overview.vsBaselineMissing', { date: f.date(Date.parse(energy.baseline.from)) })
                      : t(energy.baseline.partial ? 'overview.vsBaselinePartial' : 'overview.vsBaseline', {
                          date: f.date(Date.parse(energy.baseline.from)),
                          kwh: f.number(energy.baseline.kWh, 0),
                          change: change(energy.baseline.change),
                        })}
                  </span>
                </span>
              )}
            </>
          }
        />
        <DemandBar demand={demand} />
        {pvPower && (
          <Tile
            id="pv-kw"
            label={t('overview.pv')}
            value={f.number(pv?.value, 1)}
            unit="kW"
            uncertain={pv?.quality === 'uncertain'}
            note={pv ? t('overview.pvNote') : `${t('overview.pvNote')} · ${t('conn.noValue')}`}
          />
        )}
        {outdoorTemperature && (
          <Tile
            id="outdoor-t"
            label={t('overview.outdoor')}
            value={f.number(outdoorT, 1)}
            unit="°C"
            uncertain={store.uncertain(outdoorTemperature.asset, outdoorTemperature.point)}
            note={
              outdoorT === null && outdoorRh === null ? t('conn.noValue') : t('overview.outdoorHumidity', { value: f.number(outdoorRh, 0) })
            }
          />
        )}
      </div>
      <div class="columns">
        <section class="panel chart-panel" aria-labelledby="overview-trend-label">
          <h2 id="overview-trend-label" class="panel-title">
            {t('overview.trend')}
          </h2>
          <LoadState loading={trend.loading} error={trend.error} />
          <TimeChart model={trend.model} title={t('overview.trend')} unit="kW" digits={1} heightShare={0.4} />
        </section>
        <div class="side">
          <AlertsSummary />
        </div>
      </div>
    </>
  );
}

/** The served ratio as "+3.2%" / "−1.0%", or "—" when there is nothing to compare with. */
function change(ratio: number | null): string {
  if (ratio === null) return '—';
  return `${ratio >= 0 ? '+' : '−'}${Math.abs(ratio * 100).toFixed(1)}%`;
}
