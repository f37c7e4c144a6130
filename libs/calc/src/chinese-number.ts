const GROUPS = [
  { size: 1e8, unit: '億' },
  { size: 1e4, unit: '萬' },
] as const;

/** '12,531,673' (en grouping by thousands). */
export function formatGroupedNumber(value: number, fractionDigits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}

/**
 * Chinese grouping by 萬 (10^4) and 億 (10^8), as council reports write quantities:
 * 12531673 -> '1,253 萬 1,673'. Zero groups are left out ('1 億 20'); a group above 9,999 億 keeps
 * thousands separators ('12,345 億').
 */
export function formatChineseNumber(value: number): string {
  let rest = Math.round(Math.abs(value));
  if (rest === 0) return '0';
  const parts: string[] = [];
  for (const { size, unit } of GROUPS) {
    const group = Math.floor(rest / size);
    if (group > 0) parts.push(`${formatGroupedNumber(group)} ${unit}`);
    rest -= group * size;
  }
  if (rest > 0) parts.push(formatGroupedNumber(rest));
  return `${value < 0 ? '-' : ''}${parts.join(' ')}`;
}
