/**
 * Every instant the REST API answers is ISO 8601 with an offset (UTC, `Z`, millisecond precision):
 * services keep epoch milliseconds inside and convert here, at the edge.
 */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function isoTimeOrNull(epochMs: number | null | undefined): string | null {
  return epochMs === null || epochMs === undefined ? null : isoTime(epochMs);
}
