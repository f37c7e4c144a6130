import { createHash } from 'node:crypto';
import type { DeadLetter } from './dead-letter.repository';

/** A dead letter's body as stored: at most a bounded size, with the size and hash of the whole. */
export interface KeptPayload {
  payload: string;
  /** Bytes of the payload as received (for `base64:` payloads, of the decoded bytes). */
  bytes: number;
  sha256: string;
  truncated: boolean;
}

const BASE64 = 'base64:';

/** Text is cut at a character boundary; binary (`base64:...`) at a byte, then re-encoded. */
export function keptPayload(payload: string, maxBytes: number): KeptPayload {
  const binary = payload.startsWith(BASE64);
  const whole = binary ? Buffer.from(payload.slice(BASE64.length), 'base64') : Buffer.from(payload, 'utf8');
  const sha256 = createHash('sha256').update(whole).digest('hex');
  if (whole.length <= maxBytes) return { payload, bytes: whole.length, sha256, truncated: false };
  if (binary) {
    // base64 grows 4/3: keep as many bytes as fit in maxBytes once encoded.
    const kept = whole.subarray(0, Math.floor((maxBytes - BASE64.length) / 4) * 3);
    return { payload: `${BASE64}${kept.toString('base64')}`, bytes: whole.length, sha256, truncated: true };
  }
  // A cut through a multi-byte character decodes to U+FFFD: drop it.
  const text = whole.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD+$/, '');
  return { payload: text, bytes: whole.length, sha256, truncated: true };
}

/** Repeats of one source, reason and topic within one window: stored as one row. */
export interface DeadLetterGroup {
  source: string;
  reason: string;
  topic?: string;
  windowStart: number;
  /** The first letter of the group: its body and detail are the ones kept. */
  first: DeadLetter;
  lastReceivedAt: number;
  count: number;
}

/** Groups letters by source, reason, topic and fixed window (`windowMs` wide, from the epoch), in arrival order. */
export function groupRepeats(letters: readonly DeadLetter[], windowMs: number): DeadLetterGroup[] {
  const groups = new Map<string, DeadLetterGroup>();
  for (const letter of letters) {
    const windowStart = Math.floor(letter.receivedAt / windowMs) * windowMs;
    const key = JSON.stringify([letter.source, letter.reason, letter.topic ?? null, windowStart]);
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.lastReceivedAt = Math.max(group.lastReceivedAt, letter.receivedAt);
      continue;
    }
    groups.set(key, {
      source: letter.source,
      reason: letter.reason,
      topic: letter.topic,
      windowStart,
      first: letter,
      lastReceivedAt: letter.receivedAt,
      count: 1,
    });
  }
  return [...groups.values()];
}

/**
 * Which new groups get a row: per source and reason, as many as `room` allows (the cap minus the
 * rows it has), in order; the rest are only counted (`overflow`, letters per source and reason).
 */
export function withinCap(
  groups: readonly DeadLetterGroup[],
  room: (source: string, reason: string) => number,
): { kept: DeadLetterGroup[]; overflow: Array<{ source: string; reason: string; count: number }> } {
  const left = new Map<string, number>();
  const overflow = new Map<string, { source: string; reason: string; count: number }>();
  const kept: DeadLetterGroup[] = [];
  for (const group of groups) {
    const key = JSON.stringify([group.source, group.reason]);
    const free = left.get(key) ?? room(group.source, group.reason);
    if (free > 0) {
      kept.push(group);
      left.set(key, free - 1);
      continue;
    }
    left.set(key, 0);
    const counted = overflow.get(key) ?? { source: group.source, reason: group.reason, count: 0 };
    counted.count += group.count;
    overflow.set(key, counted);
  }
  return { kept, overflow: [...overflow.values()] };
}
