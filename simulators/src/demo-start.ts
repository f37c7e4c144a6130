import type { INestApplicationContext } from '@nestjs/common';
import { AlertEvaluator, AlertRulesRepository } from '@hallwatch/alerts';
import { Database } from '@hallwatch/db';
import { Reading } from '@hallwatch/domain';
import { BulkLoader } from '@hallwatch/readings';
import { RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { demoAlertRules } from './demo-faults';
import { readRegistry } from './portfolio';
import { demoHistory, demoRegisterStarts } from './demo-history';

/** The demo's baseline year starts the history unless DEMO_HISTORY_FROM says otherwise: 2015 (ROC 104), as the seeds use. */
export const DEMO_HISTORY_FROM = '2015-01-01T00:00:00+08:00';
const SOURCE = 'demo-history';
/** Ticks generated and loaded at a time: progress moves and the live simulator runs between them. */
const CHUNK_TICKS = 500;

export interface DemoStartOptions {
  db: Database;
  /** DATABASE_URL: the bulk load's own connection on PostgreSQL (undefined on the embedded database) */
  databaseUrl?: string;
  sites: SiteDefinition[];
  seed: number;
  /** where the history starts (ISO 8601 with an offset, or epoch ms: the DEMO_HISTORY_FROM setting); default the baseline year */
  from?: string | number;
  /** false: seed the demo's rules and continue its registers, but load no history (DEMO_HISTORY_FROM unset); default true */
  history?: boolean;
  /** where it ends, and the live simulator starts; default now */
  now?: number;
  log: (message: string) => void;
  /** called once the demo's alert rules are stored, so the evaluator loads them */
  rulesChanged?: () => Promise<void>;
}

export interface DemoStart {
  /** whether this start loads the history (the first start of the demo on this database) */
  firstStart: boolean;
  /** where each site's live simulator starts its registers (`asset/point`): the history's end, or what is stored */
  registers: Record<string, Record<string, number>>;
  /** resolves when the history is loaded (at once when there is none to load) */
  history: Promise<void>;
  /** stops loading after the batch in flight (the app is stopping); resolves when it has */
  stop(): Promise<void>;
}

export interface DemoHistoryStatus {
  site: string;
  /** 0-100 */
  percent: number;
  loaded: number;
  readings: number;
  finished: boolean;
  readingsPerSecond: number | null;
}

/**
 * The demo on its first start: the history of the demo city hall from the baseline year to now,
 * loaded in the background through the bulk path (progress in the log and in `demo_history`), and
 * the alert rules the demo's faults trip. On every later start nothing is loaded; the live
 * simulator continues the registers stored last, so a restart is not taken for a meter reset.
 */
export async function startDemo(options: DemoStartOptions): Promise<DemoStart> {
  const { db, log } = options;
  const now = options.now ?? Date.now();
  const fromSetting = options.from ?? DEMO_HISTORY_FROM;
  const from = typeof fromSetting === 'number' ? fromSetting : Date.parse(fromSetting);
  if (!Number.isFinite(from) || from >= now)
    throw new Error(`DEMO_HISTORY_FROM ${String(fromSetting)}: a time before now, ISO 8601 with an offset`);
  const registers: Record<string, Record<string, number>> = {};
  const firsts: SiteDefinition[] = [];
  for (const site of options.sites) {
    // The marker first: a second start, even one while the first is still loading, finds it.
    const claimed = await db.query(
      `insert into demo_history (site, from_ts, to_ts) values ($1, $2, $3) on conflict (site) do nothing returning site`,
      [site.key, new Date(from), new Date(now)],
    );
    if (claimed.length > 0) {
      firsts.push(site);
      registers[site.key] = demoRegisterStarts(site, options.seed);
    } else {
      registers[site.key] = await storedRegisters(db, site.key);
      log(`demo history of ${site.key}: loaded on an earlier start, not again`);
    }
  }
  if (firsts.length === 0) return { firstStart: false, registers, history: Promise.resolve(), stop: () => Promise.resolve() };
  if (options.history === false) {
    // Nothing to wait for: the dashboard's banner (demoHistoryStatus) says done, not 0 %.
    for (const site of firsts) await db.query('update demo_history set finished_at = now() where site = $1', [site.key]);
    log('demo history: not loaded (set DEMO_HISTORY_FROM to load one on a first start)');
  }

  const rules = new AlertRulesRepository(db);
  let seeded = 0;
  for (const site of firsts) seeded += await rules.seed(demoAlertRules(site), 'demo');
  if (seeded > 0) {
    log(`demo alert rules: ${seeded} (the starter pack and zones above 28 °C)`);
    await options.rulesChanged?.().catch(() => undefined);
  }
  const stopping = { requested: false };
  const history = (async () => {
    if (options.history === false) return;
    for (const site of firsts) if (!stopping.requested) await loadHistory(options, site, from, now, registers[site.key], stopping);
  })().catch((error: Error) => log(`demo history failed: ${error.message}`));
  return {
    firstStart: true,
    registers,
    history,
    stop: async () => {
      stopping.requested = true;
      await history;
    },
  };
}

async function loadHistory(
  options: DemoStartOptions,
  site: SiteDefinition,
  from: number,
  to: number,
  endRegisters: Record<string, number>,
  stopping: { requested: boolean },
): Promise<void> {
  const { db, log } = options;
  const ids = new Map(
    (await new RegistryRepository(db).allPointAddresses())
      .filter((address) => address.site === site.key && !address.expression)
      .map((address) => [`${address.asset}/${address.point}`, address.pointId]),
  );
  log(`demo history of ${site.key}: generating ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`);
  const ticks = await demoHistory(site, { seed: options.seed, from, to, endRegisters });
  const readings: Reading[] = [];
  for (const tick of ticks)
    for (const [asset, values] of tick.values)
      for (const [point, value] of Object.entries(values)) {
        const pointId = ids.get(`${asset}/${point}`);
        if (pointId !== undefined) readings.push({ pointId, ts: tick.ts, value, flags: 0 });
      }
  await db.query('update demo_history set readings = $2 where site = $1', [site.key, readings.length]);
  const loader = new BulkLoader(db, options.databaseUrl);
  const started = Date.now();
  let loaded = 0;
  let lastPercent = -1;
  try {
    const perChunk = Math.max(1, Math.round((readings.length / Math.max(1, ticks.length)) * CHUNK_TICKS));
    for (let i = 0; i < readings.length; i += perChunk) {
      if (stopping.requested) {
        log(`demo history of ${site.key}: stopped at ${loaded} of ${readings.length} readings (the app is stopping)`);
        return;
      }
      const result = await loader.load(readings.slice(i, i + perChunk), SOURCE);
      loaded += result.received;
      await db.query('update demo_history set loaded = $2 where site = $1', [site.key, loaded]);
      const percent = Math.floor((loaded / readings.length) * 100);
      if (percent >= lastPercent + 5 || loaded === readings.length) {
        lastPercent = percent;
        log(`載入示範歷史資料 loading demo history ${percent}% (${loaded} of ${readings.length} readings)`);
      }
    }
  } finally {
    await loader.close();
  }
  const rate = Math.round((loaded / Math.max(1, Date.now() - started)) * 1000);
  await db.query('update demo_history set finished_at = now(), readings_per_second = $2 where site = $1', [site.key, rate]);
  log(`demo history of ${site.key}: ${loaded} readings loaded at ${rate} readings/s through the bulk path (COPY); the rollups follow`);
}

/** The newest stored value of each of the site's registers (`asset/point`). */
async function storedRegisters(db: Database, site: string): Promise<Record<string, number>> {
  const rows = await db.query<{ asset: string; point: string; value: number }>(
    `select a.key as asset, p.key as point, r.value
       from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       cross join lateral (select value from readings where point_id = p.id order by ts desc limit 1) r
      where s.key = $1 and p.kind = 'cumulative'`,
    [site],
  );
  return Object.fromEntries(rows.map((row) => [`${row.asset}/${row.point}`, Number(row.value)]));
}

/** Where each demo site's history stands, for the dashboard's banner: null when the demo never loaded one. */
export async function demoHistoryStatus(db: Database): Promise<DemoHistoryStatus[]> {
  const rows = await db.query<{ site: string; readings: string; loaded: string; finished: boolean; rate: number | null }>(
    `select site, readings, loaded, finished_at is not null as finished, readings_per_second as rate from demo_history order by site`,
  );
  return rows.map((row) => ({
    site: row.site,
    readings: Number(row.readings),
    loaded: Number(row.loaded),
    percent: row.finished ? 100 : Number(row.readings) > 0 ? Math.floor((Number(row.loaded) / Number(row.readings)) * 100) : 0,
    finished: row.finished,
    readingsPerSecond: row.rate,
  }));
}

/**
 * The standalone app's demo start (apps/standalone/src/run.ts): the app's database and alert
 * evaluator, the simulator's registry. The live simulator takes `registers` from the result.
 */
export async function startDemoInApp(
  app: INestApplicationContext,
  options: { databaseUrl?: string; registryPath: string; seed: number; from: string | undefined; log: (message: string) => void },
): Promise<DemoStart> {
  return startDemo({
    db: app.get(Database, { strict: false }),
    databaseUrl: options.databaseUrl || undefined,
    sites: readRegistry(options.registryPath),
    seed: options.seed,
    from: options.from,
    history: options.from !== undefined,
    log: options.log,
    rulesChanged: async () => app.get(AlertEvaluator, { strict: false }).announceChange(),
  });
}
