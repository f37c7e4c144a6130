import { z } from 'zod';

const bool = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((value) => ['on', 'true', '1'].includes(value));
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/**
 * Every environment variable Hallwatch reads, with its default. `.env.example` lists the same.
 * Variables marked secret are redacted wherever the configuration is logged.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Name of this process in logs and metrics: ingest, api, worker, standalone. */
  HALLWATCH_APP: z.string().default('hallwatch'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Human-readable log lines (pino-pretty): `auto` when stdout is a terminal, `on` always, `off` JSON lines always. */
  LOG_PRETTY: z
    .enum(['auto', 'on', 'off', 'true', 'false', '1', '0'])
    .default('auto')
    .transform((value) => (value === 'auto' ? ('auto' as const) : ['on', 'true', '1'].includes(value))),
  /** Folder of the embedded database and other local state. */
  DATA_DIR: z.string().default('./data'),
  /** PostgreSQL/TimescaleDB server; when absent the embedded TimescaleDB (PGlite) in DATA_DIR is used. */
  DATABASE_URL: optionalText,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** A read replica for trends, rollups and reports (server backend only); empty: the primary serves them. */
  DATABASE_READ_URL: optionalText,
  /** `memory` keeps the embedded database in memory (tests, throw-away demos). */
  DATABASE_EMBEDDED_STORAGE: z.enum(['disk', 'memory']).default('disk'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key and channel, so several installations can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]+$/)
    .default('hallwatch'),
  /** Standalone only: start a Redis of its own (redis-server, data in DATA_DIR/redis) when nothing answers at a local REDIS_URL. */
  REDIS_EMBEDDED: z.enum(['auto', 'off']).default('auto'),
  /** The redis-server the standalone app starts: a path, or a name looked up on PATH, in /usr/bin and /usr/local/bin. */
  REDIS_SERVER_BIN: z.string().min(1).default('redis-server'),
  MQTT_URL: z.string().url().default('mqtt://127.0.0.1:1883'),
  MQTT_USERNAME: optionalText,
  MQTT_PASSWORD: optionalText,
  /** A file holding the MQTT password (a mounted secret, or the broker init's generated one); MQTT_PASSWORD wins when both are set. */
  MQTT_PASSWORD_FILE: optionalText,
  /** mqtts:// brokers: a CA certificate (PEM) to trust besides the system's, and an optional client certificate and key. */
  MQTT_CA_FILE: optionalText,
  MQTT_CERT_FILE: optionalText,
  MQTT_KEY_FILE: optionalText,
  /** Persistent-session client id of the ingest subscriber: keep it stable across restarts. */
  MQTT_CLIENT_ID: z.string().min(1).default('hallwatch-ingest'),
  /** Topic prefix of the native format; topics are `{prefix}/{site}/{asset}`. */
  MQTT_TOPIC_PREFIX: z
    .string()
    .regex(/^[^#+]*[^#+/]$/, 'a topic prefix without wildcards or trailing slash')
    .default('hallwatch/v1'),
  /**
   * Several ingest instances split the native topics through an MQTT 5 shared subscription
   * (`$share/{group}/...`); each instance keeps its own MQTT_CLIENT_ID and DATA_DIR. Empty: not shared.
   */
  MQTT_SHARED_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/)
    .default(''),
  /** Standalone only: start an embedded broker when nothing answers at MQTT_URL. */
  MQTT_EMBEDDED_BROKER: z.enum(['auto', 'off']).default('auto'),
  /** Sparkplug B as a second accepted format (spBv1.0 topics). */
  SPARKPLUG: bool.default('on'),
  /** Sparkplug group ids to subscribe to, comma-separated; `+` is every group. */
  SPARKPLUG_GROUPS: z
    .string()
    .regex(/^(\+|[^#+/,]+(,[^#+/,]+)*)$/)
    .default('+'),
  /** OPC UA: usernames and passwords per endpoint key (YAML `{endpoint: {username, password}}`), outside the repo. */
  OPCUA_CREDENTIALS_FILE: optionalText,
  /** OPC UA: accept server certificates not yet in DATA_DIR/pki/trusted (first contact on a trusted network only). */
  OPCUA_TRUST_UNKNOWN_SERVERS: bool.default('off'),
  /** Folder of site registry files (YAML) loaded at start-up. */
  REGISTRY_DIR: z.string().default('./registry'),
  /** What to do with readings for sites, assets or points that are not registered. */
  INGEST_UNKNOWN: z.enum(['reject', 'register']).default('reject'),
  INGEST_MAX_BATCH: z.coerce.number().int().min(1).max(100_000).default(5000),
  INGEST_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(64)
    .default(256 * 1024),
  /** Readings stamped further than this in the future are rejected. */
  INGEST_MAX_FUTURE_SECONDS: z.coerce.number().int().min(0).default(300),
  /** Readings older than this are rejected: 20 years reaches a 2015 baseline year and still stops 1970 clocks. */
  INGEST_MAX_AGE_DAYS: z.coerce.number().int().min(1).default(7305),
  /** Ingest spools what it acknowledges to DATA_DIR/spool before storing it; past this size it stops acknowledging. */
  SPOOL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 ** 3),
  SPOOL_SEGMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 ** 2),
  /** Raw readings are kept this long; rollups longer. */
  RETENTION_RAW_DAYS: z.coerce.number().int().min(1).default(730),
  /** Dead letters: bodies kept up to this many bytes (their full size and SHA-256 are kept). */
  DEAD_LETTER_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(1024 ** 2)
    .default(8192),
  /** Dead-letter rows kept per source and reason; past it rejections are only counted. */
  DEAD_LETTER_CAP: z.coerce.number().int().min(1).default(1000),
  /** Repeats (same source, reason and topic) within this window share one dead-letter row with a count. */
  DEAD_LETTER_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Dead letters last seen longer ago than this are deleted by the worker's housekeeping. */
  DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).default(14),
  /** How long a replay request waits for ingest to report each letter stored or refused before answering "pending". */
  DEAD_LETTER_REPLAY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  /** Seeds an admin API token at start-up. */
  HALLWATCH_API_TOKEN: optionalText.refine((value) => value === undefined || value.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  /** Express `trust proxy` behind a reverse proxy that terminates HTTPS: e.g. `loopback`, `10.0.0.0/8` or a hop count. Empty: none. */
  TRUST_PROXY: optionalText,
  /** How often open /live sockets have their token checked again (revoked or expired ones are disconnected). */
  LIVE_TOKEN_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** How long a sign-in session (POST /api/v1/auth/sign-in) lasts. */
  AUTH_SESSION_HOURS: z.coerce.number().positive().max(720).default(12),
  /** Sign-in attempts allowed per minute, per client IP and per user name; more get 429 (counted in Redis). */
  AUTH_SIGN_IN_LIMIT: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Standalone only: run the bundled simulator of the demo city hall. */
  SIMULATOR: bool.default('on'),
  SIMULATOR_SEED: z.coerce.number().int().default(104),
  SIMULATOR_SPEED: z.coerce.number().positive().default(1),
  SIMULATOR_REGISTRY: z.string().default('./registry/demo-city-hall.yaml'),
  /**
   * Standalone demo: on the first start on a data folder, load the demo city hall's history in the
   * background (the baseline year and the months up to today; README, "The demo's history").
   */
  DEMO_HISTORY: bool.default('on'),
  /** Where that history starts (ISO 8601 with an offset); unset: the baseline year, 2015-01-01T00:00:00+08:00. */
  DEMO_HISTORY_FROM: z.preprocess((value) => (value === '' ? undefined : value), z.string().datetime({ offset: true }).optional()),
  /** A font with Traditional Chinese glyphs for PDF reports (.ttf, .otf or .ttc), and the face inside a collection. */
  REPORT_FONT_PATH: z.string().default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
  REPORT_FONT_FAMILY: optionalText.default('NotoSansCJKtc-Regular'),
  /** Outgoing mail for scheduled reports and alert e-mails, e.g. smtp://user:pass@mail.example:587. Empty: no e-mail. */
  SMTP_URL: optionalText,
  SMTP_FROM: z.string().default('Hallwatch <hallwatch@localhost>'),
  /** How often silence (no data) and schedules are checked for every alert rule. */
  ALERT_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Fault tests only (honoured when NODE_ENV=test): the process dies at this point, as if killed. */
  HALLWATCH_FAULT: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(['crash-after-alert-commit', 'crash-after-relay-enqueue', 'crash-after-rule-state']).optional(),
  ),
  /** Folder of the built dashboard that the api serves. */
  DASHBOARD_DIR: z.string().default('./apps/dashboard/dist'),
});

export const SECRET_KEYS = ['DATABASE_URL', 'DATABASE_READ_URL', 'REDIS_URL', 'MQTT_PASSWORD', 'HALLWATCH_API_TOKEN', 'SMTP_URL'] as const;

export type ConfigValues = z.infer<typeof configSchema>;
