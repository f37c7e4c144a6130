import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Each table is queried by the one repository that owns it (STYLE.md, rule 6): a table's SQL in a
 * second file is a second place its shape and meaning are decided. The exceptions below are the
 * known ones, each with why; a new one fails here until it is moved or argued for, and one that no
 * longer queries its table fails until it is taken off the list.
 *
 * Scanned: the sources of the apps, libs and simulators. Not scanned: migrations (they are SQL
 * files, not these), tests and benchmarks (they seed and inspect tables directly), and the rollup
 * engine's tables (rollups_*, rollup_invalidations, rollup_marks), which have their own check.
 */
const ROOT = join(__dirname, '..', '..');
const SCANNED = ['apps', 'libs', 'simulators'];
const ROLLUP_ENGINE = /^rollup(s_|_)/;

type Owners = Record<string, { owner: string; also?: Record<string, string> }>;

const REGISTRY_JOIN = 'joins the registry to answer by site, asset and point keys';

const OWNERS: Owners = {
  alert_contacts: { owner: 'libs/alerts/src/notification-settings.repository.ts' },
  alert_events: { owner: 'libs/alerts/src/alerts.repository.ts' },
  alert_rules: { owner: 'libs/alerts/src/alert-rules.repository.ts' },
  alerts: {
    owner: 'libs/alerts/src/alerts.repository.ts',
    also: { 'libs/alerts/src/notifications.repository.ts': "scopes notifications by their alert's site inside the page query" },
  },
  api_tokens: { owner: 'libs/auth/src/token.repository.ts' },
  applied_transitions: { owner: 'libs/alerts/src/alerts.repository.ts' },
  audit_log: { owner: 'libs/auth/src/audit.repository.ts' },
  dead_letter_overflow: { owner: 'libs/readings/src/dead-letter.repository.ts' },
  dead_letter_replays: { owner: 'libs/readings/src/dead-letter.repository.ts' },
  dead_letters: { owner: 'libs/readings/src/dead-letter.repository.ts' },
  demo_history: {
    owner: 'simulators/src/demo-start.ts',
    also: { 'apps/api/src/consumption/demo-history.repository.ts': "the API's read of the load's progress, for the dashboard's banner" },
  },
  derived_invalidations: { owner: 'libs/readings/src/derived-readings.repository.ts' },
  emission_factors: { owner: 'libs/savings/src/savings-annotations.repository.ts' },
  escalation_policies: { owner: 'libs/alerts/src/notification-settings.repository.ts' },
  floor_plans: { owner: 'apps/api/src/floor-plans/floor-plans.repository.ts' },
  ingest_ledger: { owner: 'libs/readings/src/ingest-store.service.ts' },
  ingest_spool_commits: { owner: 'libs/readings/src/ingest-store.service.ts' },
  job_outbox: { owner: 'libs/jobs/src/job-outbox.repository.ts' },
  maintenance_tasks: { owner: 'libs/alerts/src/maintenance.repository.ts' },
  maintenance_work_items: { owner: 'libs/alerts/src/maintenance.repository.ts' },
  notifications: { owner: 'libs/alerts/src/notifications.repository.ts' },
  raw_retention: {
    owner: 'libs/readings/src/raw-retention.repository.ts',
    also: {
      'libs/readings/src/derived-readings.repository.ts': 'derived points are computed only where raw readings are still kept',
      'libs/readings/src/rollup-append.ts': 'the rollup engine reads where raw readings end',
      'libs/readings/src/rollup-refresher.service.ts': 'the rollup engine reads where raw readings end',
    },
  },
  reading_corrections: {
    owner: 'libs/readings/src/reading.repository.ts',
    also: { 'libs/readings/src/bulk-load.ts': 'a voided reading stays void when history is loaded again, in the load statement' },
  },
  readings: {
    owner: 'libs/readings/src/reading.repository.ts',
    also: {
      'libs/readings/src/bulk-load.ts': 'the bulk path COPYs history into readings',
      'libs/readings/src/consumption.repository.ts': 'register deltas read the raw register values',
      'libs/readings/src/derived-readings.repository.ts': 'derived points are readings computed from readings, in one statement',
      'libs/readings/src/raw-retention.repository.ts': 'drops raw readings past their retention',
      'libs/readings/src/rollup-append.ts': 'the rollup engine reads the raw readings it rolls up',
      'libs/readings/src/rollup-refresher.service.ts': 'the rollup engine reads the raw readings it rolls up',
    },
  },
  register_replacements: {
    owner: 'libs/readings/src/reading.repository.ts',
    also: { 'libs/readings/src/rollup-sql.ts': 'register rollups count from a replacement start value' },
  },
  report_runs: { owner: 'libs/savings/src/report-runs.repository.ts' },
  report_schedules: { owner: 'libs/savings/src/report-runs.repository.ts' },
  savings_adjustments: { owner: 'libs/savings/src/savings-annotations.repository.ts' },
  savings_measures: { owner: 'libs/savings/src/savings-annotations.repository.ts' },
  savings_targets: { owner: 'libs/savings/src/savings-annotations.repository.ts' },
  tariff_versions: { owner: 'libs/savings/src/savings-annotations.repository.ts' },
  users: {
    owner: 'libs/auth/src/user.repository.ts',
    also: { 'libs/auth/src/token.repository.ts': "a token's principal (its user's role and sites) in the one lookup every request makes" },
  },
  // The registry: every table keyed by a site, asset or point is joined to it to be asked by keys.
  sites: {
    owner: 'libs/registry/src/registry.repository.ts',
    also: {
      'apps/ingest/src/backfill/csv-bulk.ts': REGISTRY_JOIN,
      'libs/alerts/src/alert-places.repository.ts': "an alert's place and its points' units by their registry names",
      'libs/alerts/src/alert-rules.repository.ts': "rules are evaluated in their site's time zone",
      'libs/alerts/src/maintenance.repository.ts': "tasks fall due on their site's calendar",
      'libs/readings/src/consumption.repository.ts': REGISTRY_JOIN,
      'libs/readings/src/rollup.repository.ts': REGISTRY_JOIN,
      'libs/readings/src/rollup-refresher.service.ts': "days and hours are rolled up on the site's clock",
      'libs/savings/src/savings-annotations.repository.ts': 'savings entries are stored by site id and asked for by site key',
      'libs/savings/src/savings-data.repository.ts': REGISTRY_JOIN,
    },
  },
  assets: {
    owner: 'libs/registry/src/registry.repository.ts',
    also: {
      'apps/ingest/src/backfill/csv-bulk.ts': REGISTRY_JOIN,
      'libs/alerts/src/alert-places.repository.ts': "an alert's place and its points' units by their registry names",
      'libs/readings/src/consumption.repository.ts': REGISTRY_JOIN,
      'libs/readings/src/rollup.repository.ts': REGISTRY_JOIN,
      'libs/readings/src/rollup-refresher.service.ts': REGISTRY_JOIN,
      'libs/savings/src/savings-data.repository.ts': REGISTRY_JOIN,
    },
  },
  points: {
    owner: 'libs/registry/src/registry.repository.ts',
    also: {
      'apps/ingest/src/backfill/csv-bulk.ts': REGISTRY_JOIN,
      'libs/alerts/src/alert-places.repository.ts': "an alert's place and its points' units by their registry names",
      'libs/readings/src/consumption.repository.ts': REGISTRY_JOIN,
      'libs/readings/src/raw-retention.repository.ts': 'retention is per point kind',
      'libs/readings/src/rollup.repository.ts': REGISTRY_JOIN,
      'libs/readings/src/rollup-append.ts': 'the rollup engine rolls up by point kind',
      'libs/readings/src/rollup-refresher.service.ts': 'the rollup engine rolls up by point kind',
      'libs/savings/src/savings-data.repository.ts': REGISTRY_JOIN,
    },
  },
};

function migrationTables(): string[] {
  const dir = join(ROOT, 'libs/db/src/migrations');
  const sql = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
  return [...sql.matchAll(/^\s*create table (\w+)/gim)].map((match) => match[1].toLowerCase());
}

/** The dashboard is a browser app: it has no SQL. */
const NOT_SCANNED = new Set(['apps/dashboard']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || NOT_SCANNED.has(relative(ROOT, path)) ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Comments name tables in prose ("readings from the registry"): only code counts. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function filesQuerying(table: string, files: ReadonlyMap<string, string>): string[] {
  const statement = new RegExp(`\\b(from|into|update|join|truncate|copy)\\s+${table}\\b(?![.\\w])`, 'i');
  return [...files].filter(([, source]) => statement.test(source)).map(([path]) => path);
}

describe('each table is queried by the repository that owns it', () => {
  const files = new Map(
    SCANNED.flatMap((dir) => sources(join(ROOT, dir))).map((path) => [relative(ROOT, path), withoutComments(readFileSync(path, 'utf8'))]),
  );
  const tables = migrationTables().filter((table) => !ROLLUP_ENGINE.test(table));

  it('every table has an owner, and every owner is a file that queries it', () => {
    expect(tables.filter((table) => !(table in OWNERS))).toEqual([]);
    for (const [table, { owner }] of Object.entries(OWNERS)) {
      expect(tables).toContain(table);
      expect({ table, owner, queries: filesQuerying(table, files).includes(owner) }).toEqual({ table, owner, queries: true });
    }
  });

  it('every exception is a file that still queries its table', () => {
    const stale = Object.entries(OWNERS).flatMap(([table, { also = {} }]) =>
      Object.keys(also)
        .filter((path) => !filesQuerying(table, files).includes(path))
        .map((path) => `${table}: ${path}`),
    );
    expect(stale).toEqual([]);
  });

  it.each(Object.keys(OWNERS))('%s: only its owner and the known exceptions hold its SQL', (table) => {
    const { owner, also = {} } = OWNERS[table];
    const strangers = filesQuerying(table, files).filter((path) => path !== owner && !(path in also));
    expect(strangers).toEqual([]);
  });
});
