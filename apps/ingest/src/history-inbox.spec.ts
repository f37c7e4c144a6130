import { looksLikeHistory } from './history-inbox';
import { laneOf } from './write-lane';

const NOW = Date.parse('2026-12-02T08:00:00Z');
const MINUTE = 60_000;
const payload = (text: string) => Buffer.from(text, 'utf8');

describe('which messages are history', () => {
  it.each([
    ['a reading 16 minutes old', `{"ts": ${NOW - 16 * MINUTE}, "values": {"kW": 1}}`, true],
    ['a reading 14 minutes old', `{"ts": ${NOW - 14 * MINUTE}, "values": {"kW": 1}}`, false],
    ['an ISO time last year', '[{"ts":"2025-12-01T08:00:00+08:00","values":{"kW":1}}]', true],
    ['an ISO time a minute ago', `{"ts":"${new Date(NOW - MINUTE).toISOString()}","values":{"kW":1}}`, false],
    ['no time (stamped on receipt)', '{"values": {"kW": 1}}', false],
    ['a time in the future', `{"ts": ${NOW + 10 * MINUTE}, "values": {}}`, false],
    ['a time that is not a date', '{"ts": "yesterday", "values": {}}', false],
    ['a number too long to be a time', '{"ts": 12345678901234567890, "values": {}}', false],
    ['NUL and unicode before the time', `{"x":"\u0000名稱","ts": ${NOW - 20 * MINUTE}}`, true],
    ['not JSON at all', '\u0000\u0001\u0002', false],
    ['empty', '', false],
  ])('%s', (_, text, history) => {
    expect(looksLikeHistory(payload(text), NOW)).toBe(history);
  });

  it('looks only at the first 512 bytes: a time after them is not read', () => {
    expect(looksLikeHistory(payload(`{"pad":"${'x'.repeat(600)}","ts": ${NOW - 20 * MINUTE}}`), NOW)).toBe(false);
  });

  it('puts a message in the history lane only when even its newest reading is late', () => {
    const unit = (...ages: number[]) => ({
      source: 'test',
      receivedAt: NOW,
      readings: ages.map((age, i) => ({ pointId: i, ts: NOW - age * MINUTE, value: 1, flags: 0 })),
      deadLetters: [],
    });
    expect(laneOf(unit(60, 30, 20))).toBe('history');
    expect(laneOf(unit(60, 30, 1))).toBe('live');
    expect(laneOf(unit())).toBe('live');
  });
});
