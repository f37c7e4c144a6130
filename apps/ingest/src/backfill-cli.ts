#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { publishBackfill } from './backfill/backfill-publisher';

const USAGE = `hallwatch back-fill: loads history from a CSV file through the broker (native v1, QoS 1)

  --file FILE            the CSV: asset,point,ts,value (readings) or asset,point,start,end,value
                         (interval amounts, e.g. a utility's 15-minute kWh); an optional site column first
  --site KEY             the site, when the file has no site column
  --register-start N     intervals only: the register's value at the first interval's start (default 0)
  --mqtt-url URL         (default mqtt://127.0.0.1:1883)
  --topic-prefix P       (default hallwatch/v1)
  --dry-run              read and report, send nothing`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      site: { type: 'string' },
      'register-start': { type: 'string' },
      'mqtt-url': { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      'topic-prefix': { type: 'string', default: 'hallwatch/v1' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.file) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const outcome = await publishBackfill({
    file: values.file,
    site: values.site,
    registerStart: values['register-start'] === undefined ? undefined : Number(values['register-start']),
    mqttUrl: values['mqtt-url'],
    topicPrefix: values['topic-prefix'],
    dryRun: values['dry-run'],
  });
  console.log(
    `${outcome.layout}: ${outcome.readings} readings in ${outcome.messages} messages${values['dry-run'] ? ' (dry run, nothing sent)' : ' published'}`,
  );
  if (outcome.problems.length > 0) {
    console.error(
      `${outcome.problems.length} row(s) not sent, listed in ${outcome.problemsFile}; the first: line ${outcome.problems[0].line}: ${outcome.problems[0].problem}`,
    );
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
