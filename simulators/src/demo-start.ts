import type { INestApplicationContext } from '@nestjs/common';
import { AlertEvaluator, AlertRulesRepository } from '@hallwatch/alerts';
import { Database } from '@hallwatch/db';
import { Reading } from '@hallwatch/domain';
import { BulkLoader, RawRetention, ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { demoAlertRules } from './demo-faults';
import { readRegistry } from './portfolio';
import { demoHistory, demoRegisterStarts, loadedHourly, quarterHourlyFrom } from './demo-history';
import { HistoryLoadPlan, historyLoadPlan, PlannedReading } from './demo-history-plan';

/** The demo's baseline year starts the history unless DEMO_HISTORY_FROM says otherwise: 2015 (ROC 104), as the seeds use. */
export const DEMO_HISTORY_FROM = '2015-01-01T00:00:00+08:00';
const SOURCE = 'demo-history';
/**
 * Readings loaded at a time (one bulk batch), each followed by its rollup passes: progress moves,
 * and live ingest and requests go between them.
 */
const CHUNK_READINGS = 1_000;

export interface DemoStartOptions {
  db: Database;
  /** DATABASE_URL: the bulk load's own connection on PostgreSQL (undefined on the embedded database) */
  databaseUrl?: string;
  sites: SiteDefinition[];
  seed: number;
  /** where the history starts (ISO 8601 with an offset, or epoch ms: the DEMO_HISTORY_FROM setting); default the baseline year */
  from?: string | number;
  /** false: seed the demo's rules and continue its registers, but load no history (DEMO_HISTORY=off); default true */
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
  /**
   * resolves when the live simulator may start: at once, or, for a history with a hole (the
   * baseline year, then the recent months), once the baseline year's registers are rolled up
   * (their rollups must be in before any later register reading exists; demo-history-plan.ts)
   */
  liveMayStart: Promise<void>;
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
  if (firsts.length === 0)
    return { firstStart: false, registers, history: Promise.resolve(), liveMayStart: Promise.resolve(), stop: () => Promise.resolve() };
  if (options.history === false) {
    // Nothing to wait for: the dashboard's banner (demoHistoryStatus) says done, not 0 %.
    for (const site of firsts) await db.query('update demo_history set finished_at = now() where site = $1', [site.key]);
    log('demo history: not loaded (DEMO_HISTORY=off)');
  }

  const rules = new AlertRulesRepository(db);
  let seeded = 0;
  for (const site of firsts) seeded += await rules.seed(demoAlertRules(site), 'demo');
  if (seeded > 0) {
    log(`demo alert rules: ${seeded} (the starter pack and zones above 28 °C)`);
    await options.rulesChanged?.().catch(() => undefined);
  }
  let liveMayStart!: () => void;
  const live = new Promise<void>((resolve) => (liveMayStart = resolve));
  const control = { stopping: false, liveMayStart };
  const history = (async () => {
    if (options.history === false) return;
    for (const site of firsts) if (!control.stopping) await loadHistory(options, site, from, now, registers[site.key], control);
  })()
    .catch((error: Error) => log(`demo history failed: ${error.message}`))
    .finally(() => liveMayStart());
  return {
    firstStart: true,
    registers,
    history,
    liveMayStart: live,
    stop: async () => {
      control.stopping = true;
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
  control: { stopping: boolean; liveMayStart: () => void },
): Promise<void> {
  const { db, log } = options;
  const points = new Map(
    (await new RegistryRepository(db).allPointAddresses())
      .filter((address) => address.site === site.key && !address.expression)
      .map((address) => [`${address.asset}/${address.point}`, address]),
  );
  log(`demo history of ${site.key}: generating ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`);
  const ticks = await demoHistory(site, { seed: options.seed, from, to, endRegisters });
  const quarterHourly = quarterHourlyFrom(to);
  const readings: PlannedReading[] = [];
  for (const tick of ticks)
    for (const [asset, values] of tick.values)
      for (const [point, value] of Object.entries(values)) {
        const address = points.get(`${asset}/${point}`);
        if (!address || (tick.ts < quarterHourly && !loadedHourly({ key: point, kind: address.kind }))) continue;
        readings.push({ pointId: address.pointId, ts: tick.ts, value, flags: 0, register: address.kind === 'cumulative' });
      }
  await db.query('update demo_history set readings = $2 where site = $1', [site.key, readings.length]);
  const plan = historyLoadPlan(readings, CHUNK_READINGS);
  const progress = new LoadProgress(db, site.key, readings.length, log);
  const loader = new BulkLoader(db, options.databaseUrl);
  const refresher = new RollupRefresher(db);
  try {
    for (const chunk of plan.beforeLive) {
      if (control.stopping) return progress.stopped();
      await progress.add(await loadChunk(loader, refresher, db, chunk));
    }
    if (plan.horizon) await markFinal(new RawRetention(db, refresher), plan.horizon);
    control.liveMayStart();
    for (const chunk of plan.afterLive) {
      if (control.stopping) return progress.stopped();
      await progress.add(await loadChunk(loader, refresher, db, chunk));
    }
  } finally {
    control.liveMayStart();
    await loader.close();
  }
  await progress.finished();
}

/**
 * One chunk through the bulk path, then rollup passes until the chunk's entries in the rollup log
 * are done (live entries before them too): the pages show each chunk as it lands, and the backlog
 * the refresher has to work through never grows beyond one chunk.
 */
async function loadChunk(loader: BulkLoader, refresher: RollupRefresher, db: Database, chunk: Reading[]): Promise<number> {
  const result = await loader.load(chunk, SOURCE);
  const [{ mark }] = await db.query<{ mark: string }>('select coalesce(max(id), 0) as mark from rollup_invalidations');
  const pending = async () =>
    (await db.query<{ n: number }>('select count(*)::int as n from rollup_invalidations where id <= $1', [mark]))[0].n > 0;
  while (await pending()) {
    await refresher.refreshPending();
    // Live batches and requests go between the passes.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return result.received;
}

/**
 * The older part's registers: their rollups are final before the recent part's first tick, as raw
 * retention leaves a point whose raw readings were purged, but with no anchor (`anchor_ts` where no
 * reading is): no step from the baseline year into the recent months, which would be spread over
 * the quarters of the years between, and reached into by every chunk of the recent part.
 */
async function markFinal(retention: RawRetention, horizon: NonNullable<HistoryLoadPlan['horizon']>): Promise<void> {
  await retention.markHorizon(horizon.pointIds, new Date(horizon.purgedBefore), new Date(horizon.purgedBefore - 1));
}

/** The load's progress: `demo_history` for the dashboard's banner, and a log line every 5 % with the rate. */
class LoadProgress {
  private loaded = 0;
  private lastPercent = -1;
  private readonly started = Date.now();

  constructor(
    private readonly db: Database,
    private readonly site: string,
    private readonly total: number,
    private readonly log: (message: string) => void,
  ) {}

  async add(readings: number): Promise<void> {
    this.loaded += readings;
    await this.db.query('update demo_history set loaded = $2 where site = $1', [this.site, this.loaded]);
    const percent = Math.floor((this.loaded / Math.max(1, this.total)) * 100);
    if (percent >= this.lastPercent + 5 || this.loaded === this.total) {
      this.lastPercent = percent;
      this.log(
        `載入示範歷史資料 loading demo history ${percent}% (${this.loaded} of ${this.total} readings, ${this.rate()} readings/s with their rollups)`,
      );
    }
  }

  stopped(): void {
    this.log(`demo history of ${this.site}: stopped at ${this.loaded} of ${this.total} readings (the app is stopping)`);
  }

  async finished(): Promise<void> {
    await this.db.query('update demo_history set finished_at = now(), readings_per_second = $2 where site = $1', [this.site, this.rate()]);
    this.log(
      `demo history of ${this.site}: ${this.loaded} readings loaded at ${this.rate()} readings/s through the bulk path (COPY), rollups included`,
    );
  }

  private rate(): number {
    return Math.round((this.loaded / Math.max(1, Date.now() - this.started)) * 1000);
  }
}

/** The newest stored value of each of the site's registers (`asset/point`). */
async function storedRegisters(db: Database, site: string): Promise<Record<string, number>> {
  const registers = (await new RegistryRepository(db).allPointAddresses()).filter(
    (address) => address.site === site && address.kind === 'cumulative',
  );
  const values = await new ReadingRepository(db, db).latestValues(registers.map((address) => address.pointId));
  return Object.fromEntries(
    registers.flatMap((address) => {
      const value = values.get(address.pointId);
      return value === undefined ? [] : [[`${address.asset}/${address.point}`, value]];
    }),
  );
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
  options: {
    databaseUrl?: string;
    registryPath: string;
    seed: number;
    /** DEMO_HISTORY: whether a first start loads the history */
    history: boolean;
    from: string | undefined;
    log: (message: string) => void;
  },
): Promise<DemoStart> {
  return startDemo({
    db: app.get(Database, { strict: false }),
    databaseUrl: options.databaseUrl || undefined,
    sites: readRegistry(options.registryPath),
    seed: options.seed,
    from: options.from,
    history: options.history,
    log: options.log,
    rulesChanged: async () => app.get(AlertEvaluator, { strict: false }).announceChange(),
  });
}
