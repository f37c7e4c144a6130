import { formatChineseNumber, formatGroupedNumber } from './chinese-number';
import { rocYear } from './roc-date';

export type Utility = 'electricity' | 'water' | 'fuel';
export type Lang = 'zh-TW' | 'en';

export interface ComparisonFigures {
  utility: Utility;
  /** This period's total (kWh, m3 or litres). */
  current: number;
  /** The reference period's total. */
  baseline: number;
  /** Gregorian year of the reference period. */
  referenceYear: number;
  reference: 'baseline-year' | 'previous-year';
}

const ZH: Record<Utility, { noun: string; unit: string }> = {
  electricity: { noun: '本期總用電量', unit: '度' },
  water: { noun: '本期總用水量', unit: '度' },
  fuel: { noun: '本期總用油量', unit: '公升' },
};
const EN: Record<Utility, { noun: string; unit: string }> = {
  electricity: { noun: 'electricity use', unit: 'kWh' },
  water: { noun: 'water use', unit: 'm³' },
  fuel: { noun: 'vehicle fuel use', unit: 'L' },
};

/** Signed change in percent, to two decimals; null when there is no baseline to compare with. */
export function percentChange(current: number, baseline: number): number | null {
  if (!Number.isFinite(baseline) || baseline === 0) return null;
  return Math.round(((current - baseline) / baseline) * 10_000) / 100;
}

/**
 * The sentence the council report uses, e.g.
 * 本期總用電量 1,253 萬 1,673 度，與基期年(104)同期 1,257 萬 2,309 度相比，減少 4 萬 636 度，約 0.32%。
 */
export function councilSentence(f: ComparisonFigures, lang: Lang): string {
  const change = percentChange(f.current, f.baseline);
  const difference = Math.round(f.current) - Math.round(f.baseline);
  const percent = change === null ? null : Math.abs(change).toFixed(2);
  if (lang === 'zh-TW') {
    const { noun, unit } = ZH[f.utility];
    const reference = f.reference === 'baseline-year' ? `基期年(${rocYear(f.referenceYear)})同期` : `去年(${rocYear(f.referenceYear)})同期`;
    const head = `${noun} ${formatChineseNumber(f.current)} ${unit}，與${reference} ${formatChineseNumber(f.baseline)} ${unit}相比，`;
    if (change === null) return `${head}基期無用量資料，無法計算增減比例。`;
    if (difference === 0) return `${head}持平。`;
    return `${head}${difference < 0 ? '減少' : '增加'} ${formatChineseNumber(Math.abs(difference))} ${unit}，約 ${percent}%。`;
  }
  const { noun, unit } = EN[f.utility];
  const reference =
    f.reference === 'baseline-year'
      ? `the same period of baseline year ${f.referenceYear} (ROC ${rocYear(f.referenceYear)})`
      : `the same period last year, ${f.referenceYear} (ROC ${rocYear(f.referenceYear)})`;
  const head = `This period's ${noun} was ${formatGroupedNumber(f.current)} ${unit} against ${formatGroupedNumber(f.baseline)} ${unit} in ${reference}`;
  if (change === null) return `${head}; the baseline has no use recorded, so no change can be given.`;
  if (difference === 0) return `${head}: unchanged.`;
  return `${head}: ${difference < 0 ? 'down' : 'up'} ${formatGroupedNumber(Math.abs(difference))} ${unit}, about ${percent}%.`;
}
