import { RejectReason } from '@hallwatch/readings';

/** A reading as the device stated it, before its point is looked up. */
export interface ParsedReading {
  site: string;
  asset: string;
  point: string;
  ts: number;
  value: number;
  flags: number;
}

export interface Rejection {
  reason: RejectReason;
  detail: string;
  /** The point the rejection concerns, when only one value of the message was bad. */
  point?: string;
}

export interface ParseResult {
  readings: ParsedReading[];
  rejections: Rejection[];
}

/** Longer point keys are refused by every source: no point needs one, and each would be stored with every reading's dead letter. */
export const MAX_POINT_KEY_CHARS = 256;

export interface ParseLimits {
  topicPrefix: string;
  maxPayloadBytes: number;
  maxFutureMs: number;
  maxAgeMs: number;
}

/**
 * A value the store can aggregate: rollups weight values by seconds and sum them in float8, and
 * PostgreSQL raises on overflow and on underflow (5e-324 × 0.5), which would stop the batch writer.
 */
export function isStorableNumber(value: unknown): value is number {
  return typeof value === 'number' && (value === 0 || (Math.abs(value) >= 1e-300 && Math.abs(value) <= 1e300));
}

/** Why a device timestamp cannot be stored, or undefined when it can. */
export function timestampProblem(
  ts: number,
  receivedAt: number,
  limits: Pick<ParseLimits, 'maxFutureMs' | 'maxAgeMs'>,
): Rejection | undefined {
  if (ts > receivedAt + limits.maxFutureMs) return { reason: 'timestamp-out-of-range', detail: `ts ${iso(ts)} is in the future` };
  if (ts < receivedAt - limits.maxAgeMs) return { reason: 'timestamp-out-of-range', detail: `ts ${iso(ts)} is too old` };
  return undefined;
}

/** `toISOString` throws past ±8.64e15 ms (year 275760), and devices do send such numbers. */
function iso(ts: number): string {
  return Math.abs(ts) <= 8.64e15 ? new Date(ts).toISOString() : String(ts);
}
