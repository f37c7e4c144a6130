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

export interface ParseLimits {
  topicPrefix: string;
  maxPayloadBytes: number;
  maxFutureMs: number;
  maxAgeMs: number;
}

/** Why a device timestamp cannot be stored, or undefined when it can. */
export function timestampProblem(
  ts: number,
  receivedAt: number,
  limits: Pick<ParseLimits, 'maxFutureMs' | 'maxAgeMs'>,
): Rejection | undefined {
  if (ts > receivedAt + limits.maxFutureMs)
    return { reason: 'timestamp-out-of-range', detail: `ts ${new Date(ts).toISOString()} is in the future` };
  if (ts < receivedAt - limits.maxAgeMs) return { reason: 'timestamp-out-of-range', detail: `ts ${new Date(ts).toISOString()} is too old` };
  return undefined;
}
