import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { PointAddress } from '../api/api-client';
import { useI18n, useSession } from '../app/contexts';
import { useLiveTick, useLoad, useNow, useSeedLatest } from '../app/hooks';
import { useTrend } from '../app/use-trend';
import { AlertsSummary } from '../components/alerts-summary';
import { DemandBar } from '../components/demand-bar';
import { LoadState } from '../components/load-state';
import { lineColour } from '../components/palette';
import { Tile } from '../components/tile';
import { TimeChart } from '../components/time-chart';
import { dayComparisonWindows, siteBaselineYear } from '../domain/day-comparison';
import { DemandTracker, demandKw, forecastDemandKw, taipeiDayStart, todayKwh } from '../domain/energy';
import { hasPoint } from '../domain/site-model';
import type { TrendLineSpec } from '../domain/trend-model';

const TREND_SPAN_MS = 6 * 3_600_000;
const QUARTER_MS = 15 * 60_000;

/** The building at a glance: power, today's energy, demand against the contract, PV, weather, trend. */
export function OverviewPage() {
  const { api, site, model, store, resync, unauthorised } = useSession();
  const { t, f } = useI18n();
  useLiveTick(store);
  const now = useNow(15_000);
  const main = model.mainMeter;
  const pv = hasPoint(model.pv, 'kW') ? model.pv : null;
  const weather = model.weather;

  const seeds = useMemo(() => {
    const points: PointAddress[] = [];
    if (main) points.push({ asset: main.key, point: 'kW' }, { asset: main.key, point: 'kWh' });
    if (pv) points.push({ asset: pv.key, point: 'kW' });
    for (const point of ['outdoorT', 'outdoorRh']) if (hasPoint(weather, point)) points.push({ asset: weather.key, point });
    return points;
  }, [main, pv, weather]);
  useSeedLatest(seeds);

  // Today's 15-minute rollups of the main meter: the kWh register walk and the demand intervals.
  const day = taipeiDayStart(now);
  const today = useLoad(
    async (signal) => {
      if (!main) return null;
      const to = Date.now() + 1;
      const [kWh, kW] = await Promise.all([
        hasPoint(main, 'kWh') ? api.rollups(site.key, { asset: main.key, point: 'kWh' }, '15m', day, to, signal) : null,
        api.rollups(site.key, { asset: main.key, point: 'kW' }, '15m', day, to, signal),
      ]);
      return { kWh: kWh?.readings ?? [], demand: new DemandTracker(kW.readings, Date.now()) };
    },
    [site.key, main?.key, day, resync],
    unauthorised,
  );

  // Today so far against yesterday and the same weekday of the baseline year, up to the same time of day.
  const baselineYear = siteBaselineYear(site.attributes);
  const quarter = Math.floor(now / QUARTER_MS);
  const compared = useLoad(
    async (signal) => {
      if (!main) return null;
      const { yesterday, baseline } = dayComparisonWindows(Date.now(), baselineYear);
      const [before, base] = await Promise.all([
        api.consumption(site.key, 'electricity', '15m', yesterday.from, yesterday.to, signal),
        api.consumption(site.key, 'electricity', '15m', baseline.from, baseline.to, signal),
      ]);
      return { yesterday: before.total, baseline: base.total, baselineDay: baseline.day };
    },
    [site.key, main?.key, baselineYear, quarter, resync],
    unauthorised,
  );

  const demand = useRef<DemandTracker | null>(null);
  demand.current = today.data?.demand ?? null;
  useEffect(() => {
    if (!main) return;
    return store.subscribe((readings) => {
      for (const reading of readings) {
        if (reading.asset === main.key && reading.point === 'kW') demand.current?.fold(reading.ts, reading.value);
      }
    });
  }, [store, main]);

  const trendLines = useMemo((): TrendLineSpec[] => {
    if (!main) return [];
    const lines: TrendLineSpec[] = [
      {
        label: t('chart.mean', { label: t('overview.powerNote') }),
        tailLabel: t('chart.live', { label: t('overview.powerNote') }),
        color: lineColour(0),
        refs: [{ asset: main.key, point: 'kW' }],
      },
    ];
    if (pv)
      lines.push({ label: t('chart.mean', { label: t('overview.pv') }), color: lineColour(1), refs: [{ asset: pv.key, point: 'kW' }] });
    return lines;
  }, [main, pv, t]);
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

  const power = store.get(main.key, 'kW');
  const energy = today.data ? todayKwh(today.data.kWh, store.get(main.key, 'kWh'), Date.now(), model.mainKwhRolloverAt) : null;
  const tracker = today.data?.demand;
  const outdoorT = weather ? store.value(weather.key, 'outdoorT') : null;
  const outdoorRh = weather ? store.value(weather.key, 'outdoorRh') : null;

  return (
    <>
      <h1 class="page-title">{t('overview.title')}</h1>
      <LoadState loading={false} error={today.error} onRetry={today.reload} />
      <div class="tiles">
        <Tile
          id="total-kw"
          className="tile-hero"
          label={t('overview.power')}
          value={f.number(power?.value, 1)}
          unit="kW"
          note={power ? `${t('overview.powerNote')} · ${f.time(power.ts)}` : t('overview.powerNote')}
        />
        <Tile
          id="today-kwh"
          label={t('overview.energyToday')}
          value={f.number(energy, 0)}
          unit="kWh"
          note={
            <>
              {t('overview.energyTodayNote')}
              {compared.data && (
                <span class="tile-compare" data-testid="today-compare">
                  <br />
                  {t('overview.vsYesterday', {
                    kwh: f.number(compared.data.yesterday, 0),
                    change: change(energy, compared.data.yesterday),
                  })}
                  <br />
                  {t('overview.vsBaseline', {
                    date: f.date(compared.data.baselineDay),
                    kwh: f.number(compared.data.baseline, 0),
                    change: change(energy, compared.data.baseline),
                  })}
                </span>
              )}
            </>
          }
        />
        <DemandBar
          demandKw={tracker ? demandKw(tracker.current) : null}
          contractKw={model.contractCapacityKw}
          intervalStart={tracker?.current.start ?? now}
          peakKw={tracker?.peak(Date.now()) ?? null}
          forecastKw={tracker ? forecastDemandKw(tracker.current, power?.value ?? null, Date.now()) : null}
        />
        {pv && (
          <Tile id="pv-kw" label={t('overview.pv')} value={f.number(store.value(pv.key, 'kW'), 1)} unit="kW" note={t('overview.pvNote')} />
        )}
        {weather && (
          <Tile
            id="outdoor-t"
            label={t('overview.outdoor')}
            value={f.number(outdoorT, 1)}
            unit="°C"
            note={t('overview.outdoorHumidity', { value: f.number(outdoorRh, 0) })}
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

/** "+3.2%" / "−1.0%", or "—" when there is nothing to compare with. */
function change(today: number | null, before: number): string {
  if (today === null || before <= 0) return '—';
  const percent = ((today - before) / before) * 100;
  return `${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(1)}%`;
}
