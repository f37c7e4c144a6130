import { useMemo, useState } from 'preact/hooks';
import { ApiError, UnauthorisedError } from '../api/api-client';
import type { ReportFormat, SavingsQuery, Utility } from '../api/api-types';
import { useI18n, useSession } from '../app/contexts';
import { useLoad } from '../app/hooks';
import { LoadState } from '../components/load-state';
import { MonthBars } from '../components/month-bars';
import { Tile } from '../components/tile';
import { inReportingYear, monthCoverage, type MonthCoverage } from '../domain/month-coverage';
import { PERIOD_PRESETS, presetPeriod, type PeriodPreset } from '../domain/savings-period';

const UTILITIES: readonly Utility[] = ['electricity', 'water', 'fuel'];
const FILE_FORMATS: ReadonlyArray<Exclude<ReportFormat, 'json'>> = ['pdf', 'xlsx', 'csv'];

/** For energy officers: the savings against the baseline year as the council sees it, with the files to hand in. */
export function SavingsPage() {
  const { api, site, unauthorised } = useSession();
  const { t, f, locale } = useI18n();
  const [utility, setUtility] = useState<Utility>('electricity');
  const [preset, setPreset] = useState<PeriodPreset>('year-to-date');
  const [baselineYear, setBaselineYear] = useState(() => site.baselineYear);
  const [method, setMethod] = useState<SavingsQuery['method']>('same-period');
  const [downloadProblem, setDownloadProblem] = useState<string | null>(null);

  const query: SavingsQuery = {
    site: site.key,
    utility,
    ...presetPeriod(preset, Date.now(), site.timezone),
    baselineYear,
    method,
    lang: locale,
  };
  const report = useLoad((signal) => api.savings(query, signal), [site.key, utility, preset, baselineYear, method, locale], unauthorised);
  const data = report.data;
  const months = useMemo(() => {
    const missing = data?.dataQuality.missing;
    if (!data || !missing) return { current: new Map<string, MonthCoverage>(), baseline: new Map<string, MonthCoverage>() };
    return {
      current: monthCoverage(data.period, missing.period),
      baseline: inReportingYear(monthCoverage(data.baseline, missing.baseline), data.period.from.slice(0, 4)),
    };
  }, [data]);
  // Either period lacks days of data (the server's counts): its percentage and money are partial figures.
  const partial = !!data && (data.period.daysWithData < data.period.days || data.baseline.daysWithData < data.baseline.days);

  const download = async (format: Exclude<ReportFormat, 'json'>) => {
    setDownloadProblem(null);
    try {
      const { blob, fileName } = await api.savingsFile(query, format);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      if (error instanceof UnauthorisedError) return unauthorised();
      setDownloadProblem(error instanceof ApiError ? error.message : String(error));
    }
  };

  return (
    <>
      <h1 class="page-title">{t('savings.title')}</h1>
      <form class="panel savings-form" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('savings.utility')}
          <select value={utility} onChange={(event) => setUtility(event.currentTarget.value as Utility)} data-testid="savings-utility">
            {UTILITIES.map((option) => (
              <option key={option} value={option}>
                {t(`savings.utility.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('savings.period')}
          <select value={preset} onChange={(event) => setPreset(event.currentTarget.value as PeriodPreset)} data-testid="savings-period">
            {PERIOD_PRESETS.map((option) => (
              <option key={option} value={option}>
                {t(`savings.preset.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('savings.baselineYear')}
          <input
            type="number"
            min={1990}
            max={2100}
            value={baselineYear}
            onChange={(event) => {
              const year = Number(event.currentTarget.value);
              if (Number.isInteger(year) && year >= 1990 && year <= 2100) setBaselineYear(year);
            }}
            data-testid="savings-baseline-year"
          />
        </label>
        <label>
          {t('savings.method')}
          <select value={method} onChange={(event) => setMethod(event.currentTarget.value as SavingsQuery['method'])}>
            <option value="same-period">{t('savings.method.same-period')}</option>
            <option value="normalised">{t('savings.method.normalised')}</option>
          </select>
        </label>
      </form>
      <LoadState loading={report.loading && !data} error={report.error} onRetry={report.reload} />
      {data && (
        <>
          <p class="panel council-sentence" data-testid="savings-summary" lang={locale === 'zh-TW' ? 'zh-Hant-TW' : 'en'}>
            {data.summary}
          </p>
          {partial && (
            <p class="notice coverage-note" data-testid="savings-partial">
              {t('savings.partial', {
                period: f.number(data.period.daysWithData, 0),
                periodDays: f.number(data.period.days, 0),
                baseline: f.number(data.baseline.daysWithData, 0),
                baselineDays: f.number(data.baseline.days, 0),
              })}
            </p>
          )}
          <div class="tiles">
            <Tile id="savings-current" label={data.period.label} value={f.number(data.totals.current, 0)} unit={data.unit} />
            <Tile id="savings-baseline" label={data.baseline.label} value={f.number(data.totals.baseline, 0)} unit={data.unit} />
            <Tile
              id="savings-difference"
              label={t('savings.difference')}
              value={f.number(data.totals.difference, 0)}
              unit={data.unit}
              note={
                data.totals.percent === null
                  ? t('savings.noPercent')
                  : withPartialMark(f.percent(data.totals.percent / 100, 2), partial, t('coverage.partialMark'))
              }
            />
            <Tile
              id="savings-cost"
              label={t('savings.costSaving')}
              value={f.number(data.cost.saving, 0)}
              unit="NT$"
              note={
                <>
                  {data.cost.saving === null && (
                    <>
                      <span data-testid="savings-cost-missing">{t('savings.noMoney')}</span>
                      <br />
                    </>
                  )}
                  {withPartialMark(
                    t('savings.emissions', {
                      kg: `${data.emissions.differenceKg > 0 ? '+' : ''}${f.number(data.emissions.differenceKg, 0)}`,
                    }),
                    partial && data.cost.saving !== null,
                    t('coverage.partialMark'),
                  )}
                </>
              }
            />
          </div>
          <section class="panel" aria-labelledby="savings-months-label">
            <h2 id="savings-months-label" class="panel-title">
              {t('savings.byMonth')}
            </h2>
            <MonthBars
              title={t('savings.byMonth')}
              unit={data.unit}
              months={data.months}
              currentLabel={data.period.label}
              baselineLabel={data.baseline.label}
            />
            <div class="table-scroll">
              <table class="data-table" data-testid="savings-months">
                <thead>
                  <tr>
                    <th scope="col">{t('savings.month')}</th>
                    <th scope="col" class="num">
                      {t('savings.current')}
                    </th>
                    <th scope="col" class="num">
                      {t('savings.baseline')}
                    </th>
                    <th scope="col" class="num">
                      {t('savings.difference')}
                    </th>
                    <th scope="col" class="num">
                      %
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.months.map((row) => {
                    const current = months.current.get(row.month) ?? 'whole';
                    const baseline = months.baseline.get(row.month) ?? 'whole';
                    const known = current !== 'none' && baseline !== 'none';
                    const mark = current === 'partial' || baseline === 'partial' ? '*' : '';
                    return (
                      <tr key={row.month} data-coverage={`${current} ${baseline}`}>
                        <th scope="row">{row.month}</th>
                        <td class="num">{current === 'none' ? '—' : `${f.number(row.current, 0)}${current === 'partial' ? '*' : ''}`}</td>
                        <td class="num">
                          {baseline === 'none' ? '—' : `${f.number(row.baseline, 0)}${baseline === 'partial' ? '*' : ''}`}
                        </td>
                        <td class="num">{known ? `${f.number(row.difference, 0)}${mark}` : '—'}</td>
                        <td class="num">{known && row.percent !== null ? `${f.number(row.percent, 2)}${mark}` : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {partial && (
              <p class="tile-note" data-testid="savings-month-legend">
                {t('savings.monthPartial')}
              </p>
            )}
          </section>
          {data.dataQuality.notes.length > 0 && (
            <section class="panel" aria-labelledby="savings-notes-label">
              <h2 id="savings-notes-label" class="panel-title">
                {t('savings.notes')}
              </h2>
              <ul>
                {data.dataQuality.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            </section>
          )}
          <section class="panel savings-downloads" aria-labelledby="savings-files-label">
            <h2 id="savings-files-label" class="panel-title">
              {t('savings.files')}
            </h2>
            {FILE_FORMATS.map((format) => (
              <button
                key={format}
                type="button"
                class="button"
                onClick={() => void download(format)}
                data-testid={`savings-download-${format}`}
              >
                {t(`savings.download.${format}`)}
              </button>
            ))}
            {downloadProblem && (
              <p class="notice notice-error" role="alert">
                {downloadProblem}
              </p>
            )}
          </section>
        </>
      )}
    </>
  );
}

/** A figure from a partial period, marked as such ("−1.20% · 資料不完整"), in a span the tests and screen readers can find. */
function withPartialMark(text: string, partial: boolean, mark: string) {
  if (!partial) return text;
  return (
    <>
      {text}
      {' · '}
      <span class="partial-mark" data-testid="partial-mark">
        {mark}
      </span>
    </>
  );
}
