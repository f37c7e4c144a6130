/**
 * PostgreSQL refusing a value a request carried: SQLSTATE class 22 (data exception: a number out
 * of range for its column, a date that does not exist, a malformed timestamp) or 23514 (a check
 * constraint, e.g. the shape of a key). The value was the caller's, so the answer is theirs: 400.
 */
export function isValueRefusedByDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22[0-9A-Z]{3}|23514)$/.test(code);
}
