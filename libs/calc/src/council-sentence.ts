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
 * How the zh-TW sentence is written. 'council' as the council's own report does:
 * 本府各機關學校106年下半年用電量為1,253萬1,673度，較基期年(104年)同期1,257萬2,309度，減少4萬636度，約0.32%
 * 'spaced' as Hallwatch wrote it before (and DOMAIN.md quotes):
 * 本期總用電量 1,253 萬 1,673 度，與基期年(104)同期 1,257 萬 2,309 度相比，減少 4 萬 636 度，約 0.32%。
 */
export type SentenceForm = 'council' | 'spaced';

export interface SentenceOptions {
  form?: SentenceForm;
  /** Whose use: the organisation ('本府各機關學校'), the site or the portfolio. */
  subject?: string;
  /** The period as the council names it: '106年下半年', '106年1-6月'. */
  periodLabel?: string;
}

const COUNCIL_NOUN: Record<Utility, string> = { electricity: '用電量', water: '用水量', fuel: '用油量' };

/** The sentence the council report uses, in the council's form unless asked for the spaced one. */
export function councilSentence(f: ComparisonFigures, lang: Lang, options: SentenceOptions = {}): string {
  const change = percentChange(f.current, f.baseline);
  const difference = Math.round(f.current) - Math.round(f.baseline);
  const percent = change === null ? null : Math.abs(change).toFixed(2);
  if (lang === 'zh-TW' && (options.form ?? 'council') === 'council') {
    const unit = ZH[f.utility].unit;
    const n = (value: number) => formatChineseNumber(value, 'council');
    const who = `${options.subject ?? ''}${options.periodLabel ?? ''}` || '本期';
    const reference = `${f.reference === 'baseline-year' ? '基期年' : '去年'}(${rocYear(f.referenceYear)}年)同期`;
    const head = `${who}${COUNCIL_NOUN[f.utility]}為${n(f.current)}${unit}，較${reference}${n(f.baseline)}${unit}`;
    if (change === null) return `${head}，基期無用量資料，無法計算增減比例`;
    if (difference === 0) return `${head}，持平`;
    return `${head}，${difference < 0 ? '減少' : '增加'}${n(Math.abs(difference))}${unit}，約${percent}%`;
  }
  if (lang === 'zh-TW') {
    const { noun, unit } = ZH[f.utility];
    const n = (value: number) => formatChineseNumber(value, 'spaced');
    const reference = f.reference === 'baseline-year' ? `基期年(${rocYear(f.referenceYear)})同期` : `去年(${rocYear(f.referenceYear)})同期`;
    const head = `${noun} ${n(f.current)} ${unit}，與${reference} ${n(f.baseline)} ${unit}相比，`;
    if (change === null) return `${head}基期無用量資料，無法計算增減比例。`;
    if (difference === 0) return `${head}持平。`;
    return `${head}${difference < 0 ? '減少' : '增加'} ${n(Math.abs(difference))} ${unit}，約 ${percent}%。`;
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
