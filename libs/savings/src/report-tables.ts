import { formatRocDate, modelKindName, rocYear } from '@hallwatch/calc';
import { addDays } from './report-period';
import { label, utilityName } from './report-labels';
import { SavingsReport } from './savings-report';

export type Cell = string | number | null;

export interface ReportTable {
  key: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

/** Rounded for a table; a value that rounds to zero is 0, never -0 ('NMBE -0'). */
const round = (value: number | null, digits = 0) => (value === null || !Number.isFinite(value) ? null : Number(value.toFixed(digits)) + 0);

/**
 * A report as plain tables, in its language: the CSV, the spreadsheet and the PDF are all drawn
 * from these, so the three formats never disagree about a number.
 */
export function reportTables(report: SavingsReport): ReportTable[] {
  const lang = report.lang;
  const l = (key: Parameters<typeof label>[0]) => label(key, lang);
  const zh = lang === 'zh-TW';
  // A zh-TW report writes dates with ROC years (106/07/01, 106年7月); an English one ISO dates.
  const date = (iso: string | null) => (iso === null ? null : zh ? formatRocDate(iso) : iso);
  const month = (yyyyMm: string) => (zh ? `${rocYear(Number(yyyyMm.slice(0, 4)))}年${Number(yyyyMm.slice(5, 7))}月` : yyyyMm);
  const range = (p: { from: string; to: string }) =>
    zh ? `${formatRocDate(p.from)} – ${formatRocDate(addDays(p.to, -1))}` : `${p.from} – ${p.to}`;
  const generated = zh ? `${formatRocDate(report.generatedAt.slice(0, 10))} ${report.generatedAt.slice(11, 19)} (UTC)` : report.generatedAt;
  const tables: ReportTable[] = [
    {
      key: 'summary',
      title: l('summary'),
      columns: ['', ''],
      rows: [
        [l('site'), `${report.site.name} (${report.site.key})`],
        [l('utility'), `${utilityName(report.utility, lang)} (${report.unit})`],
        [l('method'), l(report.method)],
        [l('period'), `${report.period.label} (${range(report.period)})`],
        [
          l(report.normalised ? 'modelBaseline' : report.baseline.reference === 'previous-year' ? 'previousYear' : 'baselineSamePeriod'),
          `${report.baseline.label} (${range(report.baseline)})`,
        ],
        [l('alignment'), l(report.alignment)],
        [l('current'), round(report.totals.current)],
        [l('baselineUse'), round(report.totals.baseline)],
        [l('difference'), round(report.totals.difference)],
        [l('percent'), report.totals.percent],
        [l('adjustments'), round(report.totals.adjustments)],
        [l('adjustedBaseline'), round(report.totals.adjustedBaseline)],
        [`${l('cost')} ${l('period')}`, round(report.cost.current)],
        [`${l('cost')} ${l('baseline')}`, round(report.cost.baseline)],
        [l('costSaving'), round(report.cost.saving)],
        [`${l('maxDemand')} ${l('period')}`, round(report.cost.maxDemandKw.current, 1)],
        [`${l('maxDemand')} ${l('baseline')}`, round(report.cost.maxDemandKw.baseline, 1)],
        [`${l('emissions')} ${l('period')}`, round(report.emissions.currentKg)],
        [`${l('emissions')} ${l('baseline')}`, round(report.emissions.baselineKg)],
        [l('summary'), report.summary],
        [l('generated'), generated],
      ],
    },
    {
      key: 'monthly',
      title: l('monthly'),
      columns: [l('month'), l('current'), l('baselineUse'), l('difference'), l('percent')],
      rows: report.months.map((m) => [month(m.month), round(m.current), round(m.baseline), round(m.difference), m.percent]),
    },
  ];
  if (report.normalised) {
    const n = report.normalised;
    const s = n.model.statistics;
    tables.push(
      {
        key: 'model',
        title: l('model'),
        columns: ['', ''],
        rows: [
          [l('modelKind'), modelKindName(n.model.kind, lang)],
          [l('degreeDays'), l(n.model.degreeDays === 'hourly' ? 'degreeDaysHourly' : 'degreeDaysDailyMean')],
          [l('intercept'), round(n.model.intercept, 2)],
          [l('coolingSlope'), round(n.model.coolingSlope, 3)],
          [l('coolingBalance'), n.model.coolingBalanceC],
          [l('heatingSlope'), round(n.model.heatingSlope, 3)],
          [l('heatingBalance'), n.model.heatingBalanceC],
          [l('rSquared'), round(s.rSquared, 4)],
          [l('adjustedRSquared'), round(s.adjustedRSquared, 4)],
          [l('cvRmse'), round(s.cvRmse, 2)],
          [l('nmbe'), round(s.nmbe, 3)],
          [l('guideline14'), n.guideline14.pass ? l('pass') : l('fail')],
          [l('adjustedBaseline'), round(n.adjustedBaseline)],
          [l('current'), round(n.reportingActual)],
          [l('avoided'), round(n.avoided)],
          [l('savingsFraction'), round(n.savingsFraction * 100, 2)],
          [
            `${l('uncertainty')} (${Math.round(n.uncertainty.confidence * 100)}%)`,
            `± ${round(n.uncertainty.absolute)} (${round(n.uncertainty.fraction * 100, 1)}%)`,
          ],
          [l('notes'), n.verdict.join(' ')],
        ],
      },
      {
        key: 'days',
        title: l('dailyUse'),
        columns: [l('date'), l('temperature'), l('current'), l('adjustedBaseline')],
        rows: n.days.map((d) => [date(d.date), round(d.temperatureC, 1), round(d.actual), round(d.predicted)]),
      },
    );
  }
  if (report.hourlyModel) {
    const h = report.hourlyModel;
    const s = h.model.statistics;
    tables.push({
      key: 'hourlyModel',
      title: l('hourlyModel'),
      columns: ['', ''],
      rows: [
        [l('modelKind'), l('timeOfWeekTemperature')],
        [l('knots'), h.model.knotsC.map((k) => k.toFixed(1)).join(', ')],
        [l('rSquared'), round(s.rSquared, 4)],
        [l('cvRmse'), round(s.cvRmse, 2)],
        [l('nmbe'), round(s.nmbe, 3)],
        [l('guideline14'), h.guideline14.pass ? l('pass') : l('fail')],
        [l('adjustedBaseline'), round(h.adjustedBaseline)],
        [l('current'), round(h.reportingActual)],
        [l('avoided'), round(h.avoided)],
        [l('savingsFraction'), round(h.savingsFraction * 100, 2)],
      ],
    });
  }
  tables.push({
    key: 'adjustments',
    title: l('adjustments'),
    columns: [l('id'), l('kind'), l('from'), l('to'), l('amount'), l('reason'), l('enteredBy'), l('at')],
    rows: report.adjustments.map((a) => [
      a.id,
      l(a.kind === 'exclude' ? 'exclude' : 'amountKind'),
      date(a.startsOn),
      // `endsOn` is exclusive: the last day it covers is shown
      date(zh ? addDays(a.endsOn, -1) : a.endsOn),
      a.amount,
      a.reason,
      a.createdBy,
      zh ? `${formatRocDate(a.createdAt.slice(0, 10))} ${a.createdAt.slice(11, 16)}` : a.createdAt,
    ]),
  });
  tables.push({
    key: 'measures',
    title: l('measures'),
    columns: [
      l('name'),
      l('installed'),
      `${l('estimated')} / ${l('perYear')}`,
      `${l('estimated')} NT$ / ${l('perYear')}`,
      `${l('estimated')} (${l('period')})`,
      `${l('measured')} (${l('period')})`,
      l('enteredBy'),
    ],
    rows: [
      ...report.measures.map((m) => [
        m.name,
        date(m.installedOn),
        round(m.estimatedPerYear),
        round(m.estimatedNtdPerYear),
        round(m.estimatedInPeriod),
        null,
        m.createdBy,
      ]),
      // The measured saving is the whole building's: it sits in its own column, beside the estimates' sum.
      [
        `${l('estimated')} / ${l('measured')}`,
        null,
        null,
        null,
        round(report.measured.estimatedTotal),
        round(report.measured.measuredSaving),
        null,
      ],
    ],
  });
  if (report.kpi) {
    tables.push({
      key: 'kpi',
      title: l('kpi'),
      columns: ['', l('target'), l('actual'), l('achievement')],
      rows: report.kpi.map((k) => [
        k.name,
        round(k.target, 2),
        round(k.actual, 2),
        k.achievementRatio === null ? null : `${(k.achievementRatio * 100).toFixed(1)}%`,
      ]),
    });
  }
  const { estimated } = report.dataQuality;
  if (estimated.period.amount > 0 || estimated.baseline.amount > 0) {
    tables.push({
      key: 'estimated',
      title: l('estimatedAcrossGaps'),
      columns: ['', l('from'), l('to'), report.unit, l('share')],
      rows: (['period', 'baseline'] as const).flatMap((which) => [
        ...estimated[which].spans.map((span) => [l(which), date(span.from), date(span.to), round(span.amount), null]),
        [
          l(which),
          null,
          null,
          round(estimated[which].amount),
          estimated[which].percent === null ? null : round(estimated[which].percent, 2),
        ],
      ]),
    });
  }
  tables.push({ key: 'notes', title: l('notes'), columns: [''], rows: report.dataQuality.notes.map((note) => [note]) });
  return tables;
}
