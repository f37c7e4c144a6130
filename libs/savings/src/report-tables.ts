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
  const tables: ReportTable[] = [
    {
      key: 'summary',
      title: l('summary'),
      columns: ['', ''],
      rows: [
        [l('site'), `${report.site.name} (${report.site.key})`],
        [l('utility'), `${utilityName(report.utility, lang)} (${report.unit})`],
        [l('method'), l(report.method)],
        [l('period'), `${report.period.label} (${report.period.from} – ${report.period.to})`],
        [
          l(report.baseline.reference === 'previous-year' ? 'previousYear' : 'baselineSamePeriod'),
          `${report.baseline.label} (${report.baseline.from} – ${report.baseline.to})`,
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
        [l('generated'), report.generatedAt],
      ],
    },
    {
      key: 'monthly',
      title: l('monthly'),
      columns: [l('month'), l('current'), l('baselineUse'), l('difference'), l('percent')],
      rows: report.months.map((m) => [m.month, round(m.current), round(m.baseline), round(m.difference), m.percent]),
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
          ['model', n.model.kind],
          ['intercept', round(n.model.intercept, 2)],
          ['cooling slope per °C-day', round(n.model.coolingSlope, 3)],
          ['cooling balance point °C', n.model.coolingBalanceC],
          ['heating slope per °C-day', round(n.model.heatingSlope, 3)],
          ['heating balance point °C', n.model.heatingBalanceC],
          ['R²', round(s.rSquared, 4)],
          ['adjusted R²', round(s.adjustedRSquared, 4)],
          ['CV(RMSE) %', round(s.cvRmse, 2)],
          ['NMBE %', round(s.nmbe, 3)],
          ['ASHRAE Guideline 14', n.guideline14.pass ? 'pass' : `fail: ${n.guideline14.reasons.join('; ')}`],
          [l('adjustedBaseline'), round(n.adjustedBaseline)],
          [l('current'), round(n.reportingActual)],
          [l('avoided'), round(n.avoided)],
          ['savings fraction %', round(n.savingsFraction * 100, 2)],
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
        columns: ['date', l('temperature'), l('current'), l('adjustedBaseline')],
        rows: n.days.map((d) => [d.date, round(d.temperatureC, 1), round(d.actual), round(d.predicted)]),
      },
    );
  }
  tables.push({
    key: 'adjustments',
    title: l('adjustments'),
    columns: ['id', 'kind', 'from', 'to', 'amount', l('reason'), l('enteredBy'), 'at'],
    rows: report.adjustments.map((a) => [a.id, a.kind, a.startsOn, a.endsOn, a.amount, a.reason, a.createdBy, a.createdAt]),
  });
  tables.push({
    key: 'measures',
    title: l('measures'),
    columns: [
      'name',
      'installed',
      `${l('estimated')} / year`,
      `${l('estimated')} NT$ / year`,
      `${l('estimated')} (${l('period')})`,
      `${l('measured')} (${l('period')})`,
      l('enteredBy'),
    ],
    rows: [
      ...report.measures.map((m) => [
        m.name,
        m.installedOn,
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
        ...estimated[which].spans.map((span) => [l(which), span.from, span.to, round(span.amount), null]),
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
