import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerCounts, ledgerCounts, ledgerGrowth, LostRun, lostRuns, SentReading, sentSeries } from './backfill-check';

/** The two questions the check asks the API: the ledger of a source, and the stored timestamps of a point. */
export class HallwatchApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** The ingest ledger of one source (GET /api/v1/ingest/ledger). */
  async ledger(source: string): Promise<LedgerCounts> {
    const sources = await this.get<Array<{ source: string; counts: Record<string, number> }>>('/api/v1/ingest/ledger');
    return ledgerCounts(sources.find((entry) => entry.source === source)?.counts);
  }

  /** The stored raw readings' timestamps (epoch ms) of a point in [from, to), page by page (the answer's `next` cursor). */
  async storedTimestamps(place: { site: string; asset: string; point: string }, from: number, to: number): Promise<Set<number>> {
    const stored = new Set<number>();
    const path = `/api/v1/sites/${encodeURIComponent(place.site)}/assets/${encodeURIComponent(place.asset)}/points/${encodeURIComponent(place.point)}/readings`;
    const range = `bucket=raw&limit=100000&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
    let cursor: string | null = null;
    do {
      const page: { readings: Array<{ ts: string }>; next: string | null } = await this.get(
        `${path}?${range}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      for (const reading of page.readings) stored.add(Date.parse(reading.ts));
      cursor = page.next;
    } while (cursor !== null);
    return stored;
  }

  /** The interval points of a site with their interval in seconds (the registry's intervalSeconds, 900 when unset). */
  async intervalPoints(site: string): Promise<Map<string, number>> {
    const detail = await this.get<{
      assets: Array<{ key: string; points: Array<{ key: string; kind: string; attributes: Record<string, unknown> }> }>;
    }>(`/api/v1/sites/${encodeURIComponent(site)}`);
    const points = new Map<string, number>();
    for (const asset of detail.assets) {
      for (const point of asset.points) {
        if (point.kind !== 'interval') continue;
        const seconds = point.attributes.intervalSeconds;
        points.set(`${site}/${asset.key}/${point.key}`, typeof seconds === 'number' ? seconds : 900);
      }
    }
    return points;
  }

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }
}

export interface CheckOptions {
  /** The ledger's source of the broker's readings: `mqtt:{topic prefix}`. */
  source: string;
  /** Stop waiting once the ledger has not moved for this long (a broker that dropped messages never delivers them). */
  settleMs: number;
  pollMs?: number;
}

export interface CheckOutcome {
  sent: number;
  /** What the ledger counted from the source while the tool waited (live readings included). */
  ledger: LedgerCounts;
  lost: number;
  runs: LostRun[];
}

/**
 * After a back-fill was published: waits until the ledger has received as many readings as were
 * sent or stops moving, then finds each sent reading among the stored ones (a duplicate of one
 * stored before counts as stored).
 */
export async function checkBackfill(
  api: HallwatchApi,
  sent: readonly SentReading[],
  ledgerBefore: LedgerCounts,
  { source, settleMs, pollMs = 500 }: CheckOptions,
): Promise<CheckOutcome> {
  const series = sentSeries(sent);
  const sentCount = [...series.values()].reduce((sum, entry) => sum + entry.ts.length, 0);
  let growth = ledgerGrowth(ledgerBefore, await api.ledger(source));
  for (let still = 0; growth.received < sentCount && still < settleMs;) {
    await sleep(pollMs);
    const next = ledgerGrowth(ledgerBefore, await api.ledger(source));
    still = next.received === growth.received ? still + pollMs : 0;
    growth = next;
  }
  const runs: LostRun[] = [];
  for (const entry of series.values()) {
    const stored = await api.storedTimestamps(entry, entry.ts[0], entry.ts[entry.ts.length - 1] + 1);
    runs.push(...lostRuns(entry, entry.ts, stored));
  }
  return { sent: sentCount, ledger: growth, lost: runs.reduce((sum, run) => sum + run.count, 0), runs };
}
