import { createHash } from 'node:crypto';
import { DeadLetterGroup, groupRepeats, keptPayload, withinCap } from './dead-letter-bounds';
import type { DeadLetter } from './dead-letter.repository';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('keptPayload', () => {
  it.each([
    ['short text, whole', 'abc', 8, { payload: 'abc', bytes: 3, truncated: false }],
    ['long text, cut at the byte limit', 'x'.repeat(20), 8, { payload: 'x'.repeat(8), bytes: 20, truncated: true }],
    // 'é' is two bytes: a cut through it drops the half character
    ['a cut through a character', 'aaaaaaaé', 8, { payload: 'aaaaaaa', bytes: 9, truncated: true }],
  ])('%s', (_, payload, maxBytes, expected) => {
    expect(keptPayload(payload, maxBytes)).toEqual({ ...expected, sha256: sha256(Buffer.from(payload, 'utf8')) });
  });

  it('cuts binary (base64:) payloads at a byte and re-encodes them within the limit', () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, index) => index % 256));
    const kept = keptPayload(`base64:${bytes.toString('base64')}`, 100);
    expect(kept.payload.length).toBeLessThanOrEqual(100);
    expect(Buffer.from(kept.payload.slice('base64:'.length), 'base64')).toEqual(bytes.subarray(0, 69));
    expect(kept).toMatchObject({ bytes: 300, sha256: sha256(bytes), truncated: true });
  });
});

describe('groupRepeats', () => {
  const letter = (topic: string, receivedAt: number, reason: DeadLetter['reason'] = 'bad-json'): DeadLetter => ({
    source: 'mqtt:x',
    topic,
    payload: `${topic}@${receivedAt}`,
    reason,
    receivedAt,
  });

  it('groups a source, reason and topic per window, keeping the first body, counting the rest', () => {
    const groups = groupRepeats(
      [letter('a', 1_000), letter('a', 59_000), letter('b', 2_000), letter('a', 61_000), letter('a', 3_000, 'bad-shape')],
      60_000,
    );
    expect(groups.map(({ topic, reason, windowStart, count, lastReceivedAt, first }) => [topic, reason, windowStart, count, lastReceivedAt, first.payload])).toEqual([
      ['a', 'bad-json', 0, 2, 59_000, 'a@1000'],
      ['b', 'bad-json', 0, 1, 2_000, 'b@2000'],
      ['a', 'bad-json', 60_000, 1, 61_000, 'a@61000'],
      ['a', 'bad-shape', 0, 1, 3_000, 'a@3000'],
    ]);
  });
});

describe('withinCap', () => {
  const group = (reason: string, count: number): DeadLetterGroup => ({
    source: 's',
    reason,
    windowStart: 0,
    first: { source: 's', payload: '', reason: 'bad-json', receivedAt: 0 },
    lastReceivedAt: 0,
    count,
  });

  it('keeps groups while a source and reason has room, and counts the letters of the rest', () => {
    const groups = [group('a', 1), group('a', 5), group('b', 2), group('a', 3), group('b', 4)];
    const { kept, overflow } = withinCap(groups, (_, reason) => (reason === 'a' ? 1 : 0));
    expect(kept).toEqual([groups[0]]);
    expect(overflow).toEqual([
      { source: 's', reason: 'a', count: 8 },
      { source: 's', reason: 'b', count: 6 },
    ]);
  });
});
