#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { migrate, PgDatabase, PgliteDatabase } from '@hallwatch/db';
import { publishBackfill } from './backfill/backfill-publisher';
import type { CheckOutcome } from './backfill/backfill-verifier';
import { bulkLoadCsv } from './backfill/csv-bulk';

const USAGE = `hallwatch back-fill: loads history from a CSV file through the broker (native v1, QoS 1)

  --file FILE            the CSV: asset,point,ts,value (readings) or asset,point,start,end,value
                         (interval amounts, e.g. a utility's 15-minute kWh); an optional site column first
  --site KEY             the site, when the file has no site column
  --register-start N     intervals only: the register's value at the first interval's start (default 0)
  --amounts              intervals only: the points are interval points: each amount is sent as it is,
                         at its interval's end, and a hole stays missing (with --api-url or
                         --database-url the registry says which points are; otherwise a register
                         is built, which can only step flat across a hole)
  --mqtt-url URL         (default mqtt://127.0.0.1:1883)
  --topic-prefix P       (default hallwatch/v1)
  --dry-run              read and report, send nothing
  --api-url URL          after sending, check through the API that every reading was stored: wait
                         for the ingest ledger to count them, look each one up, print what was lost
                         (count and time ranges) and exit 1 when something was
  --token TOKEN          an engineer's API token for the check
  --settle-seconds N     the check stops waiting when the ledger has not moved for N s (default 15)
  --database-url URL     load straight into the database through the bulk path (COPY) instead of
                         the broker: a PostgreSQL URL, or file:DIR for an embedded database in DIR
                         (not while the app runs on it); the rate is printed`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      site: { type: 'string' },
      'register-start': { type: 'string' },
      amounts: { type: 'boolean', default: false },
      'mqtt-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      'topic-prefix': { type: 'string', default: 'hallwatch/v1' },
      'dry-run': { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      'api-url': { type: 'string' },
      token: { type: 'string' },
      'settle-seconds': { type: 'string', default: '15' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.file) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const databaseUrl = values['database-url'];
  if (databaseUrl && !values['dry-run']) {
    const embedded = databaseUrl.startsWith('file:');
    const db = embedded ? await PgliteDatabase.open(databaseUrl.slice('file:'.length)) : new PgDatabase(databaseUrl, 2);
    try {
      await migrate(db);
      const bulk = await bulkLoadCsv(db, readFileSync(values.file, 'utf8'), {
        site: values.site,
        registerStart: values['register-start'] === undefined ? undefined : Number(values['register-start']),
        databaseUrl: embedded ? undefined : databaseUrl,
        log: (line) => console.log(line),
      });
      for (const problem of bulk.problems.slice(0, 20)) console.error(`line ${problem.line}: ${problem.problem}`);
      return bulk.problems.length > 0 ? 1 : 0;
    } finally {
      await db.close();
    }
  }
  const apiUrl = values['api-url'];
  const token = values.token;
  if (apiUrl && !token) {
    console.error('--api-url needs --token: an engineer token that may read the ingest ledger');
    return 2;
  }
  const outcome = await publishBackfill({
    file: values.file,
    site: values.site,
    registerStart: values['register-start'] === undefined ? undefined : Number(values['register-start']),
    amounts: values.amounts,
    mqttUrl: values['mqtt-url'],
    topicPrefix: values['topic-prefix'],
    dryRun: values['dry-run'],
    check: apiUrl && token ? { apiUrl, token, settleMs: Number(values['settle-seconds']) * 1000 } : undefined,
  });
  console.log(
    `${outcome.layout}: ${outcome.readings} readings in ${outcome.messages} messages${values['dry-run'] ? ' (dry run, nothing sent)' : ' published'}`,
  );
  const lost = outcome.check ? reportCheck(outcome.check) : 0;
  if (!outcome.check && !values['dry-run']) console.log('not checked: give --api-url and --token to check that everything sent was stored');
  if (outcome.problems.length > 0) {
    console.error(
      `${outcome.problems.length} row(s) not sent, listed in ${outcome.problemsFile}; the first: line ${outcome.problems[0].line}: ${outcome.problems[0].problem}`,
    );
    return 1;
  }
  return lost > 0 ? 1 : 0;
}

/** Prints the end-to-end check; returns how many readings were lost. */
function reportCheck(check: CheckOutcome): number {
  const { received, stored, duplicate, rejected } = check.ledger;
  console.log(
    `ingest ledger while checking: received ${received}, stored ${stored}, duplicate ${duplicate}, rejected ${rejected} (live readings included)`,
  );
  if (check.lost === 0) {
    console.log(`checked: all ${check.sent} readings sent are stored`);
    return 0;
  }
  console.error(`LOST ${check.lost} of ${check.sent} readings sent (not stored), in ${check.runs.length} time range(s):`);
  for (const run of check.runs.slice(0, 50))
    console.error(
      `  ${run.site}/${run.asset}/${run.point} ${new Date(run.from).toISOString()} .. ${new Date(run.to).toISOString()}: ${run.count}`,
    );
  if (check.runs.length > 50) console.error(`  ... and ${check.runs.length - 50} more range(s)`);
  console.error('send the file again: readings already stored count as duplicates, never twice');
  return check.lost;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
