import { councilSentence, describePeriod, percentChange, SentenceForm } from '@hallwatch/calc';
import { label } from './report-labels';
import { Cell, ReportTable, reportTables } from './report-tables';
import { SavingsReport } from './savings-report';

/** One site's line in a portfolio: its totals and its own sentence. */
export interface PortfolioSite {
  key: string;
  name: string;
  current: number;
  baseline: number;
  difference: number;
  percent: number | null;
  summary: string;
  summaryMethod: SavingsReport['summaryMethod'];
  kpi: SavingsReport['kpi'];
}

/** Several sites summed, e.g. all of a city's agencies and schools (本府各機關學校). */
export type PortfolioReport = SavingsReport & { portfolio: { name: string; sites: PortfolioSite[] } };

/**
 * A portfolio report from its sites' reports (same utility, method, period and baseline): their use
 * summed, month by month and in total, the council sentence for the whole, and a line and KPIs per
 * site. The whole states no change when any site's own comparison states none (too little data, an
 * unusable model): a sum over a site without data would read as a saving.
 */
export function buildPortfolioReport(name: string, reports: SavingsReport[], form?: SentenceForm): PortfolioReport {
  if (reports.length === 0) throw new Error('a portfolio needs at least one site');
  const first = reports[0];
  const lang = first.lang;
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const current = sum(reports.map((r) => r.totals.current));
  const baseline = sum(reports.map((r) => r.totals.baseline));
  const adjustments = sum(reports.map((r) => r.totals.adjustments));
  const months = new Map<string, { current: number; baseline: number }>();
  for (const report of reports) {
    for (const m of report.months) {
      const row = months.get(m.month) ?? months.set(m.month, { current: 0, baseline: 0 }).get(m.month)!;
      row.current += m.current;
      row.baseline += m.baseline;
    }
  }
  const without = reports.filter((r) => r.summaryMethod === 'none');
  const zh = lang === 'zh-TW';
  const summary =
    without.length > 0
      ? zh
        ? `${name}${describePeriod(first.period, lang)}：${without.map((r) => r.site.name).join('、')}的資料或模型不足以比較，不計算整體增減。`
        : `${name}, ${describePeriod(first.period, lang)}: ${without.map((r) => r.site.name).join(', ')} cannot be compared (too little data or an unusable model), so no change is stated for the whole.`
      : first.method === 'normalised'
        ? zh
          ? `${name}${describePeriod(first.period, lang)}依氣候正規化，實際用量${Math.round(current).toLocaleString('en-US')}${first.unit}，調整後基期${Math.round(baseline).toLocaleString('en-US')}${first.unit}，${current <= baseline ? '減少' : '增加'}約${Math.abs(percentChange(current, baseline) ?? 0).toFixed(2)}%`
          : `${name}, weather-normalised: ${Math.round(current).toLocaleString('en-US')} ${first.unit} against an adjusted baseline of ${Math.round(baseline).toLocaleString('en-US')} ${first.unit}, ${current <= baseline ? 'down' : 'up'} about ${Math.abs(percentChange(current, baseline) ?? 0).toFixed(2)}%.`
        : councilSentence(
            { utility: first.utility, current, baseline, referenceYear: first.baseline.year, reference: first.baseline.reference },
            lang,
            { form, subject: name, periodLabel: first.period.label },
          );
  const sites = reports.map((r) => ({
    key: r.site.key,
    name: r.site.name,
    current: r.totals.current,
    baseline: r.totals.baseline,
    difference: r.totals.difference,
    percent: r.totals.percent,
    summary: r.summary,
    summaryMethod: r.summaryMethod,
    kpi: r.kpi,
  }));
  const costs = (pick: (r: SavingsReport) => number | null) =>
    reports.every((r) => pick(r) !== null) ? sum(reports.map((r) => pick(r)!)) : null;
  return {
    ...first,
    site: { key: reports.map((r) => r.site.key).join('+'), name },
    period: { ...first.period, daysWithData: Math.min(...reports.map((r) => r.period.daysWithData)) },
    baseline: { ...first.baseline, daysWithData: Math.min(...reports.map((r) => r.baseline.daysWithData)) },
    summary,
    summaryMethod: without.length > 0 ? 'none' : first.summaryMethod,
    totals: {
      current,
      baseline,
      difference: current - baseline,
      percent: without.length > 0 ? null : percentChange(current, baseline),
      adjustments,
      adjustedBaseline: baseline + adjustments,
      adjustedDifference: current - baseline - adjustments,
      adjustedPercent: without.length > 0 ? null : percentChange(current, baseline + adjustments),
    },
    months: [...months.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, m]) => ({
        month,
        current: m.current,
        baseline: m.baseline,
        difference: m.current - m.baseline,
        percent: percentChange(m.current, m.baseline),
      })),
    cost: {
      ...first.cost,
      current: costs((r) => r.cost.current),
      baseline: costs((r) => r.cost.baseline),
      baselineAtCurrentTariff: costs((r) => r.cost.baselineAtCurrentTariff),
      saving: costs((r) => r.cost.saving),
      maxDemandKw: { current: null, baseline: null },
      bills: null,
    },
    emissions: {
      currentKg: sum(reports.map((r) => r.emissions.currentKg)),
      baselineKg: sum(reports.map((r) => r.emissions.baselineKg)),
      differenceKg: sum(reports.map((r) => r.emissions.differenceKg)),
      factors: first.emissions.factors,
    },
    // The model of each site is in its own report; the portfolio sums their results.
    normalised: null,
    hourlyModel: null,
    adjustments: reports.flatMap((r) => r.adjustments),
    excludedDays: [...new Set(reports.flatMap((r) => r.excludedDays))].sort(),
    measures: reports.flatMap((r) => r.measures),
    measured: {
      estimatedTotal: sum(reports.map((r) => r.measured.estimatedTotal)),
      measuredSaving: sum(reports.map((r) => r.measured.measuredSaving)),
    },
    kpi: null,
    target: null,
    dataQuality: {
      flags: reports.reduce((all, r) => all | r.dataQuality.flags, 0),
      notes: reports.flatMap((r) => r.dataQuality.notes.map((note) => `${r.site.name}: ${note}`)),
      missing: { period: [], baseline: [] },
      estimated: {
        period: { amount: 0, percent: null, spans: [] },
        baseline: { amount: 0, percent: null, spans: [] },
      },
    },
    portfolio: { name, sites },
  };
}

const round = (value: number | null, digits = 0) => (value === null || !Number.isFinite(value) ? null : Number(value.toFixed(digits)) + 0);

/** The portfolio's tables: the summed report's, then a line per site and each site's KPIs. */
export function portfolioTables(report: PortfolioReport): ReportTable[] {
  const lang = report.lang;
  const l = (key: Parameters<typeof label>[0]) => label(key, lang);
  const tables = reportTables(report);
  const sites: ReportTable = {
    key: 'sites',
    title: l('sites'),
    columns: [l('site'), l('current'), l('baselineUse'), l('difference'), l('percent'), l('summary')],
    rows: report.portfolio.sites.map((s): Cell[] => [
      s.name,
      round(s.current),
      round(s.baseline),
      round(s.difference),
      s.percent,
      s.summary,
    ]),
  };
  const kpi: ReportTable = {
    key: 'kpi',
    title: l('kpi'),
    columns: [l('site'), '', l('target'), l('actual'), l('achievement')],
    rows: report.portfolio.sites.flatMap((s) =>
      (s.kpi ?? []).map((k): Cell[] => [
        s.name,
        k.name,
        round(k.target, 2),
        round(k.actual, 2),
        k.achievementRatio === null ? null : `${(k.achievementRatio * 100).toFixed(1)}%`,
      ]),
    ),
  };
  // Sites and KPIs right after the summary and the months.
  return [...tables.slice(0, 2), sites, ...(kpi.rows.length > 0 ? [kpi] : []), ...tables.slice(2)];
}
