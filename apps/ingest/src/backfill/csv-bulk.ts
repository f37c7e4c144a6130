import { Database } from '@hallwatch/db';
import { BulkLoader, BulkLoadResult } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { CsvProblem, parseBackfillCsv } from './csv-backfill';

export interface CsvBulkOutcome extends BulkLoadResult {
  layout: 'readings' | 'intervals';
  /** rows not loaded: unreadable, or naming a point the registry does not have */
  problems: CsvProblem[];
}

/**
 * The CSV back-fill through the bulk path instead of the broker (#19 item 7): the same parsing
 * (parseBackfillCsv), points resolved against the registry (unknown ones reported, as ingest
 * rejects them), then BulkLoader: COPY into staging, duplicates counted, ledger source
 * `backfill-csv`, rollups through the normal refresher. Registers from intervals are not derived
 * points: a CSV naming a derived point (an expression) is refused for that row.
 */
export async function bulkLoadCsv(
  db: Database,
  text: string,
  options: { site?: string; registerStart?: number; databaseUrl?: string; log?: (message: string) => void } = {},
): Promise<CsvBulkOutcome> {
  const addresses = await new RegistryRepository(db).allPointAddresses();
  const parsed = parseBackfillCsv(text, { ...options, intervalPoints: await intervalPoints(db) });
  const ids = new Map(
    addresses
      .filter((address) => !address.expression)
      .map((address) => [`${address.site}/${address.asset}/${address.point}`, address.pointId]),
  );
  const problems = [...parsed.problems];
  const unknown = new Map<string, number>();
  const readings = [];
  for (const row of parsed.rows) {
    const key = `${row.site}/${row.asset}/${row.point}`;
    const pointId = ids.get(key);
    if (pointId === undefined) unknown.set(key, (unknown.get(key) ?? 0) + 1);
    else readings.push({ pointId, ts: row.ts, value: row.value, flags: 0 });
  }
  // Line 0: about the file, not one of its lines (an interval's register readings come from several).
  for (const [key, count] of unknown)
    problems.push({ line: 0, problem: `${key} is not a point of the registry (${count} readings not loaded)` });
  const loader = new BulkLoader(db, options.databaseUrl);
  try {
    const result = await loader.load(readings, 'backfill-csv');
    options.log?.(
      `${result.stored} stored, ${result.duplicate} duplicate, ${result.rejected} refused of ${result.received} readings at ${result.readingsPerSecond} readings/s (bulk path, COPY)`,
    );
    return { ...result, layout: parsed.layout, problems };
  } finally {
    await loader.close();
  }
}

/** The registry's interval points and their interval (seconds; 15 minutes when the registry sets none). */
async function intervalPoints(db: Database): Promise<Map<string, number>> {
  const rows = await db.query<{ key: string; seconds: number }>(
    `select s.key || '/' || a.key || '/' || p.key as key,
            coalesce(attribute_number(p.attributes, 'intervalSeconds'), 900) as seconds
     from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
     where p.kind = 'interval'`,
  );
  return new Map(rows.map((row) => [row.key, Number(row.seconds)]));
}
