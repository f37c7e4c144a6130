/** `value.toFixed(digits)` without a minus sign on what rounds to zero: 'NMBE 0.00%', never 'NMBE -0.00%'. */
export function fixedDigits(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}
