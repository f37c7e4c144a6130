import { Lang, Utility } from '@hallwatch/calc';

const UTILITY_NAMES: Record<Utility, Record<Lang, string>> = {
  electricity: { 'zh-TW': '用電', en: 'Electricity' },
  water: { 'zh-TW': '用水', en: 'Water' },
  fuel: { 'zh-TW': '公務車用油', en: 'Vehicle fuel' },
};

const LABELS = {
  title: { 'zh-TW': '節能成效報告', en: 'Savings report' },
  site: { 'zh-TW': '場址', en: 'Site' },
  utility: { 'zh-TW': '項目', en: 'Utility' },
  period: { 'zh-TW': '本期', en: 'This period' },
  baseline: { 'zh-TW': '基期', en: 'Baseline' },
  previousYear: { 'zh-TW': '去年同期', en: 'Same period last year' },
  baselineSamePeriod: { 'zh-TW': '基期年同期', en: 'Same period of the baseline year' },
  method: { 'zh-TW': '方法', en: 'Method' },
  'same-period': { 'zh-TW': '同期比較', en: 'Same-period comparison' },
  normalised: { 'zh-TW': '氣候正規化 (IPMVP 選項C)', en: 'Weather-normalised (IPMVP Option C)' },
  alignment: { 'zh-TW': '日期對齊', en: 'Calendar alignment' },
  'same-dates': { 'zh-TW': '相同日期', en: 'same dates' },
  'same-weekdays': { 'zh-TW': '相同星期', en: 'same weekdays' },
  summary: { 'zh-TW': '摘要', en: 'Summary' },
  current: { 'zh-TW': '本期用量', en: 'This period' },
  baselineUse: { 'zh-TW': '基期用量', en: 'Baseline' },
  difference: { 'zh-TW': '增減', en: 'Difference' },
  percent: { 'zh-TW': '增減率 (%)', en: 'Change (%)' },
  adjustments: { 'zh-TW': '非例行調整', en: 'Non-routine adjustments' },
  adjustedBaseline: { 'zh-TW': '調整後基期', en: 'Adjusted baseline' },
  month: { 'zh-TW': '月份', en: 'Month' },
  monthly: { 'zh-TW': '逐月比較', en: 'Month by month' },
  cost: { 'zh-TW': '電費 / 費用 (新臺幣)', en: 'Cost (NT$)' },
  costSaving: { 'zh-TW': '以本期費率計之節省金額', en: 'Saving at this period’s tariff' },
  maxDemand: { 'zh-TW': '最高需量 (kW)', en: 'Maximum 15-minute demand (kW)' },
  emissions: { 'zh-TW': '碳排放 (公斤CO2e)', en: 'Emissions (kgCO2e)' },
  model: { 'zh-TW': '基期氣候模型', en: 'Baseline weather model' },
  avoided: { 'zh-TW': '避免用量', en: 'Avoided use' },
  uncertainty: { 'zh-TW': '節能不確定度', en: 'Savings uncertainty' },
  measures: { 'zh-TW': '節能措施', en: 'Savings measures' },
  estimated: { 'zh-TW': '預估節省', en: 'Estimated' },
  measured: { 'zh-TW': '實測節省', en: 'Measured' },
  kpi: { 'zh-TW': '績效指標', en: 'KPIs' },
  target: { 'zh-TW': '目標值', en: 'Target' },
  actual: { 'zh-TW': '實際值', en: 'Actual' },
  achievement: { 'zh-TW': '目標達成度', en: 'Achievement' },
  notes: { 'zh-TW': '說明', en: 'Notes' },
  estimatedAcrossGaps: { 'zh-TW': '資料中斷期間估計用量', en: 'Use estimated across meter gaps' },
  from: { 'zh-TW': '起', en: 'From' },
  to: { 'zh-TW': '迄', en: 'To' },
  share: { 'zh-TW': '占比 (%)', en: 'Share (%)' },
  reason: { 'zh-TW': '原因', en: 'Reason' },
  enteredBy: { 'zh-TW': '登錄者', en: 'Entered by' },
  temperature: { 'zh-TW': '日均外氣溫度 (°C)', en: 'Daily mean outdoor temperature (°C)' },
  dailyUse: { 'zh-TW': '日用量', en: 'Daily use' },
  generated: { 'zh-TW': '產製時間', en: 'Generated' },
} as const;

export type LabelKey = keyof typeof LABELS;

export function label(key: LabelKey, lang: Lang): string {
  return LABELS[key][lang];
}

export function utilityName(utility: Utility, lang: Lang): string {
  return UTILITY_NAMES[utility][lang];
}
