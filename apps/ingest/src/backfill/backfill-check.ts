/**
 * The end-to-end check of a back-fill sent through the broker: a broker acknowledges a QoS 1
 * publish when it has queued it, not when ingest has stored it, and a broker whose queue for the
 * ingest session is full drops messages silently. So after sending, the tool waits until the
 * ingest ledger has counted what it sent (or stops moving), then looks for every sent reading
 * among the stored ones and reports what is missing.
 */

/** One reading the tool sent: its place and timestamp (epoch ms). */
export interface SentReading {
  site: string;
  asset: string;
  point: string;
  ts: number;
}

/** A run of consecutive sent readings of one point that were not stored. */
export interface LostRun {
  site: string;
  asset: string;
  point: string;
  from: number;
  to: number;
  count: number;
}

export interface LedgerCounts {
  received: number;
  stored: number;
  duplicate: number;
  rejected: number;
}

export const seriesKey = (reading: Pick<SentReading, 'site' | 'asset' | 'point'>) => `${reading.site}/${reading.asset}/${reading.point}`;

/** The sent readings grouped per point, each point's timestamps sorted and distinct. */
export function sentSeries(sent: readonly SentReading[]): Map<string, { site: string; asset: string; point: string; ts: number[] }> {
  const series = new Map<string, { site: string; asset: string; point: string; ts: Set<number> }>();
  for (const reading of sent) {
    const key = seriesKey(reading);
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { site: reading.site, asset: reading.asset, point: reading.point, ts: new Set() }));
    entry.ts.add(reading.ts);
  }
  return new Map([...series].map(([key, entry]) => [key, { ...entry, ts: [...entry.ts].sort((a, b) => a - b) }]));
}

/**
 * The sent readings of one point that are not among the stored timestamps, as runs: a run ends at
 * the next sent reading that was stored.
 */
export function lostRuns(
  place: { site: string; asset: string; point: string },
  sentTs: readonly number[],
  storedTs: ReadonlySet<number>,
): LostRun[] {
  const runs: LostRun[] = [];
  let run: LostRun | null = null;
  for (const ts of sentTs) {
    if (storedTs.has(ts)) {
      run = null;
      continue;
    }
    if (run) {
      run.to = ts;
      run.count++;
    } else runs.push((run = { ...place, from: ts, to: ts, count: 1 }));
  }
  return runs;
}

/** The ledger's counts of one source, from GET /api/v1/ingest/ledger's `counts` (rejections summed over their reasons). */
export function ledgerCounts(counts: Record<string, number> | undefined): LedgerCounts {
  const of = (outcome: string) => counts?.[outcome] ?? 0;
  const rejected = Object.entries(counts ?? {})
    .filter(([outcome]) => outcome.startsWith('rejected:'))
    .reduce((sum, [, count]) => sum + count, 0);
  return { received: of('received'), stored: of('stored'), duplicate: of('duplicate'), rejected };
}

/** What the ledger counted between two readings of it. */
export function ledgerGrowth(before: LedgerCounts, after: LedgerCounts): LedgerCounts {
  return {
    received: after.received - before.received,
    stored: after.stored - before.stored,
    duplicate: after.duplicate - before.duplicate,
    rejected: after.rejected - before.rejected,
  };
}
