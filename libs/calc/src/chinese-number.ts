const GROUPS = [
  { size: 1e12, unit: '兆' },
  { size: 1e8, unit: '億' },
  { size: 1e4, unit: '萬' },
] as const;

/** '12,531,673' (en grouping by thousands). */
export function formatGroupedNumber(value: number, fractionDigits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}

/**
 * How Chinese numbers are written: 'council' as the council's own reports do (1,253萬1,673, no
 * spaces), 'spaced' with a space around each unit (1,253 萬 1,673).
 */
export type ChineseNumberStyle = 'council' | 'spaced';

/**
 * Chinese grouping by 萬 (10^4), 億 (10^8) and 兆 (10^12), as council reports write quantities:
 * 12531673 -> '1,253萬1,673'. A skipped group is read as 零 (130000020 -> '1億3,000萬零20',
 * 100000020 -> '1億零20'); trailing zero groups are left out (50000 -> '5萬').
 */
export function formatChineseNumber(value: number, style: ChineseNumberStyle = 'council'): string {
  let rest = Math.round(Math.abs(value));
  if (rest === 0) return '0';
  const parts: string[] = [];
  let skipped = false;
  for (const { size, unit } of GROUPS) {
    const group = Math.floor(rest / size);
    rest -= group * size;
    if (group > 0) {
      if (skipped) parts.push('零');
      parts.push(`${formatGroupedNumber(group)}${style === 'spaced' ? ' ' : ''}${unit}`);
      skipped = false;
    } else if (parts.length > 0) skipped = true;
  }
  if (rest > 0) {
    if (skipped) parts.push('零');
    parts.push(formatGroupedNumber(rest));
  }
  const text = style === 'spaced' ? parts.join(' ').replace(/零 /g, '零') : parts.join('');
  return `${value < 0 ? '-' : ''}${text}`;
}
