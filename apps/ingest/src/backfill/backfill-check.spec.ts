import { ledgerCounts, ledgerGrowth, lostRuns, sentSeries } from './backfill-check';

describe('back-fill check', () => {
  const place = { site: 'hall', asset: 'main', point: 'kWh' };

  it('groups what was sent per point, sorted and without repeats', () => {
    const series = sentSeries([
      { ...place, ts: 30 },
      { ...place, ts: 10 },
      { ...place, ts: 30 },
      { ...place, point: 'kW', ts: 20 },
    ]);
    expect([...series.keys()]).toEqual(['hall/main/kWh', 'hall/main/kW']);
    expect(series.get('hall/main/kWh')?.ts).toEqual([10, 30]);
  });

  it('reports the sent readings not stored as runs between stored ones', () => {
    // Sent 1..10; stored 1, 2, 6, 10: lost 3-5 (3) and 7-9 (3).
    const sent = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(lostRuns(place, sent, new Set([1, 2, 6, 10]))).toEqual([
      { ...place, from: 3, to: 5, count: 3 },
      { ...place, from: 7, to: 9, count: 3 },
    ]);
    expect(lostRuns(place, sent, new Set(sent))).toEqual([]);
    expect(lostRuns(place, sent, new Set())).toEqual([{ ...place, from: 1, to: 10, count: 10 }]);
  });

  it('reads a source of the ledger, rejections summed over their reasons, and what it counted in between', () => {
    const before = ledgerCounts({
      received: 100,
      stored: 90,
      duplicate: 8,
      'rejected:bad-value': 1,
      'rejected:unknown-point': 1,
      late: 50,
    });
    expect(before).toEqual({ received: 100, stored: 90, duplicate: 8, rejected: 2 });
    expect(ledgerCounts(undefined)).toEqual({ received: 0, stored: 0, duplicate: 0, rejected: 0 });
    const after = ledgerCounts({ received: 160, stored: 140, duplicate: 18, 'rejected:bad-value': 2, 'rejected:unknown-point': 1 });
    expect(ledgerGrowth(before, after)).toEqual({ received: 60, stored: 50, duplicate: 10, rejected: 1 });
  });
});
