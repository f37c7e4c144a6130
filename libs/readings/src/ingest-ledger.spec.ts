import { DeadLetter } from './dead-letter.repository';
import { ledgerEntries } from './ingest-ledger';

const now = Date.parse('2025-07-01T10:00:00+08:00');
const reading = (pointId: number, ts: number) => ({ pointId, ts, value: 1, flags: 0 });
const letter = (reason: DeadLetter['reason']): DeadLetter => ({ source: 'a', payload: '', reason, receivedAt: now });

describe('ledgerEntries', () => {
  it('counts received = stored + duplicate + rejected per source, and late readings', () => {
    const fresh = new Set([`1:${now}`, `2:${now - 3_600_000}`]);
    const entries = ledgerEntries(
      [
        {
          source: 'a',
          receivedAt: now,
          readings: [reading(1, now), reading(1, now - 60_000)],
          deadLetters: [letter('bad-json'), letter('bad-value')],
        },
        { source: 'b', receivedAt: now, readings: [reading(2, now - 3_600_000), reading(1, now)], deadLetters: [] },
      ],
      fresh,
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        { source: 'a', outcome: 'received', count: 4 },
        { source: 'a', outcome: 'stored', count: 1 },
        { source: 'a', outcome: 'duplicate', count: 1 },
        { source: 'a', outcome: 'rejected:bad-json', count: 1 },
        { source: 'a', outcome: 'rejected:bad-value', count: 1 },
        { source: 'b', outcome: 'received', count: 2 },
        { source: 'b', outcome: 'stored', count: 1 },
        // the same point and time twice in one batch: the first claim stores it
        { source: 'b', outcome: 'duplicate', count: 1 },
        { source: 'b', outcome: 'late', count: 1 },
      ]),
    );
    expect(entries).toHaveLength(9);
  });
});
