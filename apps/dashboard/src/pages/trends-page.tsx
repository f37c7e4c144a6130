import { useMemo } from 'preact/hooks';
import { localIso } from '@hallwatch/domain';
import type { AssetInfo, PointInfo } from '../api/api-types';
import { useI18n, useSession } from '../app/contexts';
import { useLoad } from '../app/hooks';
import { routeHref } from '../app/route';
import { useTrend } from '../app/use-trend';
import { LoadState } from '../components/load-state';
import { lineColour } from '../components/palette';
import { TimeChart } from '../components/time-chart';
import { trendCsv } from '../domain/csv';
import { stateLabel, stateLegend } from '../domain/reading-quality';
import { RAW_LIMIT, TREND_RANGES, trendRange } from '../domain/trend-range';
import type { TrendLineSpec } from '../domain/trend-model';

interface TrendsPageProps {
  params: Record<string, string>;
}

/** Any point of the site over a chosen range, live at the right edge, with a CSV of what is shown. */
export function TrendsPage({ params }: TrendsPageProps) {
  const { api, site, model, unauthorised } = useSession();
  const { t, f, locale } = useI18n();
  const range = trendRange(params.range);
  const fallback = model.mainPower ?? firstPoint(site.assets);
  const asset = site.assets.find((candidate) => candidate.key === (params.asset ?? fallback?.asset));
  const point = asset?.points.find((candidate) => candidate.key === (params.asset ? params.point : fallback?.point)) ?? asset?.points[0];

  const compare = params.baseline === '1';
  // The baseline year's same weekday is the server's (the overview's baseline day): drawn that many whole weeks back.
  const overview = useLoad(
    (signal) => (compare ? api.overview(site.key, signal) : Promise.resolve(null)),
    [site.key, compare],
    unauthorised,
  );
  const baselineYear = site.baselineYear;
  const energy = overview.data?.energy;
  const shiftMs = energy ? Date.parse(energy.today.from) - Date.parse(energy.baseline.from) : undefined;
  const lines = useMemo((): TrendLineSpec[] => {
    if (!asset || !point) return [];
    const refs = [{ asset: asset.key, point: point.key }];
    const lines: TrendLineSpec[] = [{ label: pointLabel(asset, point), color: lineColour(0), refs }];
    if (compare && shiftMs !== undefined) {
      lines.push({ label: t('trends.baselineLine', { year: baselineYear }), color: lineColour(1), refs, shiftMs });
    }
    return lines;
  }, [asset, point, compare, baselineYear, shiftMs, t]);
  const trend = useTrend({ bucket: range.bucket, spanMs: range.spanMs, lines });
  const digits = point ? digitsFor(point) : 1;
  // A multi-state point's values read as its states' labels, in the chart's legend and axis alike.
  const stateWords = useMemo(() => (point?.states ? (value: number) => stateLabel(point, value, locale) : undefined), [point, locale]);

  const navigate = (next: { asset?: string; point?: string; range?: string; baseline?: string }) => {
    location.hash = routeHref('trends', {
      asset: asset?.key,
      point: point?.key,
      range: range.key,
      baseline: compare ? '1' : undefined,
      ...next,
    });
  };

  const download = () => {
    if (!asset || !point) return;
    const csv = trendCsv(trend.model.rows(0), trend.bucket, point.unit, site.timezone, (key) => t(`csv.${key}`, { zone: f.zoneName }));
    const blob = new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${site.key}_${asset.key}_${point.key}_${range.key}_${localIso(Date.now(), site.timezone).slice(0, 16).replace(/[-:T]/g, '')}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };

  return (
    <>
      <h1 class="page-title">{t('trends.title')}</h1>
      <div class="panel controls">
        <div class="field">
          <label for="trend-point">{t('trends.point')}</label>
          <select
            id="trend-point"
            value={asset && point ? `${asset.key}/${point.key}` : ''}
            onChange={(event) => {
              const [assetKey, pointKey] = event.currentTarget.value.split('/');
              navigate({ asset: assetKey, point: pointKey });
            }}
          >
            {site.assets.map((candidate) => (
              <optgroup key={candidate.key} label={candidate.name}>
                {candidate.points.map((option) => (
                  <option key={option.key} value={`${candidate.key}/${option.key}`}>
                    {pointLabel(candidate, option)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <fieldset class="field">
          <legend>{t('trends.range')}</legend>
          <div class="segmented">
            {TREND_RANGES.map((candidate) => (
              <a
                key={candidate.key}
                class="segment"
                href={routeHref('trends', {
                  asset: asset?.key,
                  point: point?.key,
                  range: candidate.key,
                  baseline: compare ? '1' : undefined,
                })}
                aria-current={candidate.key === range.key ? 'true' : undefined}
              >
                {t(`range.${candidate.key}`)}
              </a>
            ))}
          </div>
        </fieldset>
        <div class="field">
          <label class="checkbox">
            <input
              type="checkbox"
              checked={compare}
              onChange={(event) => navigate({ baseline: event.currentTarget.checked ? '1' : '' })}
              data-testid="compare-baseline"
            />{' '}
            {t('trends.compareBaseline', { year: baselineYear })}
          </label>
        </div>
        <div class="field field-actions">
          <button type="button" class="button" onClick={download} disabled={trend.loading || trend.model.isEmpty} data-testid="csv">
            {t('trends.csv')}
          </button>
        </div>
      </div>

      {!point && <p class="notice">{t('trends.choose')}</p>}
      {range.bucket === 'raw' && trend.bucket !== 'raw' && <p class="notice">{t('trends.rawTooMany', { limit: f.number(RAW_LIMIT) })}</p>}
      {trend.truncated && <p class="notice">{t('trends.truncated')}</p>}
      {trend.uncertain > 0 && (
        <p class="notice" data-testid="uncertain-readings">
          {t('trends.uncertain', { count: f.number(trend.uncertain) })}
        </p>
      )}
      {asset && point && (
        <section class="panel chart-panel" aria-labelledby="trend-label">
          <h2 id="trend-label" class="panel-title">
            {pointLabel(asset, point)}
            <span class="panel-meta">
              {' · '}
              {t(`bucket.${trend.bucket}`)} · {t('trends.count', { count: f.number(trend.model.rows(0).length) })} · {t('trends.liveEdge')}
            </span>
          </h2>
          <LoadState loading={trend.loading} error={trend.error} />
          {!trend.loading && trend.model.isEmpty && <p class="notice">{t('chart.empty')}</p>}
          {point.states && (
            <p class="panel-meta" data-testid="point-states">
              {t('trends.states', { states: stateLegend(point, locale) ?? '' })}
            </p>
          )}
          <TimeChart
            model={trend.model}
            title={pointLabel(asset, point)}
            unit={point.unit}
            digits={digits}
            heightShare={0.5}
            label={stateWords}
          />
        </section>
      )}
    </>
  );
}

function pointLabel(asset: AssetInfo, point: PointInfo): string {
  return `${asset.name} · ${point.name ?? point.key}${point.unit ? ` (${point.unit})` : ''}`;
}

function firstPoint(assets: readonly AssetInfo[]): { asset: string; point: string } | undefined {
  const asset = assets.find((candidate) => candidate.points.length > 0);
  return asset && { asset: asset.key, point: asset.points[0].key };
}

function digitsFor(point: PointInfo): number {
  if (point.kind === 'status') return 0;
  if (['ppm', '%RH', 'kWh', 'm³', 'RT'].includes(point.unit)) return 0;
  if (point.unit === '' || point.unit === 'kW/RT') return 2;
  return 1;
}
