/** A row with its timestamps as ISO 8601 strings, as the API returns them. */
export const isoDates = <T extends object>(row: T): T =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value])) as T;
