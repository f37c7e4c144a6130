import { readFileSync, writeFileSync } from 'node:fs';
import { connectAsync } from 'mqtt';
import { backfillMessages, CsvProblem, parseBackfillCsv, pointKeys } from './csv-backfill';
import { checkBackfill, CheckOutcome, HallwatchApi } from './backfill-verifier';

export interface BackfillOptions {
  file: string;
  mqttUrl: string;
  topicPrefix: string;
  site?: string;
  registerStart?: number;
  /**
   * Interval files: the points are interval points, each amount sent as it is at its interval's
   * end. With `check` the registry says which points are; this forces it without the API.
   */
  amounts?: boolean;
  /** Parse and report only. */
  dryRun?: boolean;
  clientId?: string;
  /** Check through the API that what was sent was stored (backfill-verifier.ts); without it nothing is checked. */
  check?: { apiUrl: string; token: string; settleMs: number };
}

export interface BackfillOutcome {
  layout: 'readings' | 'intervals';
  readings: number;
  messages: number;
  problems: CsvProblem[];
  /** Where the refused rows were written, with their line and reason. */
  problemsFile: string | null;
  /** The end-to-end check, when asked for and something was sent. */
  check: CheckOutcome | null;
}

/**
 * Publishes a CSV file's history over MQTT with QoS 1, waiting for every acknowledgement: from
 * there the system treats it as any meter's data. Rows it cannot read are not sent; they are
 * written beside the file (`<file>.problems.csv`) with their line and reason. With `check`, the
 * ingest ledger and the stored readings then say whether everything sent was stored.
 */
export async function publishBackfill(options: BackfillOptions): Promise<BackfillOutcome> {
  const text = readFileSync(options.file, 'utf8');
  const parseOptions = { site: options.site, registerStart: options.registerStart };
  let parsed = parseBackfillCsv(text, parseOptions);
  if (parsed.layout === 'intervals' && (options.amounts || options.check)) {
    // Registers were assumed; now that the file's points are known, ask which are interval points.
    parsed = parseBackfillCsv(text, { ...parseOptions, intervalPoints: await intervalPoints(parsed.rows, options) });
  }
  const messages = backfillMessages(parsed.rows, options.topicPrefix);
  let problemsFile: string | null = null;
  if (parsed.problems.length > 0) {
    problemsFile = `${options.file}.problems.csv`;
    writeFileSync(
      problemsFile,
      ['line,problem', ...parsed.problems.map((p) => `${p.line},"${p.problem.replace(/"/g, '""')}"`)].join('\n') + '\n',
    );
  }
  let check: CheckOutcome | null = null;
  if (!options.dryRun && messages.length > 0) {
    const api = options.check ? new HallwatchApi(options.check.apiUrl, options.check.token) : null;
    const source = `mqtt:${options.topicPrefix}`;
    const ledgerBefore = api ? await api.ledger(source) : null;
    const client = await connectAsync(options.mqttUrl, { clientId: options.clientId ?? `hallwatch-backfill-${process.pid}`, clean: true });
    try {
      for (const message of messages) await client.publishAsync(message.topic, message.payload, { qos: 1 });
    } finally {
      await client.endAsync();
    }
    if (api && ledgerBefore && options.check)
      check = await checkBackfill(api, parsed.rows, ledgerBefore, { source, settleMs: options.check.settleMs });
  }
  return { layout: parsed.layout, readings: parsed.rows.length, messages: messages.length, problems: parsed.problems, problemsFile, check };
}

/** The file's interval points: all of them with `amounts`, else those the registry (through the API) says are. */
async function intervalPoints(rows: Parameters<typeof pointKeys>[0], options: BackfillOptions): Promise<Map<string, number | null>> {
  const keys = pointKeys(rows);
  if (options.amounts) return new Map([...keys].map((key) => [key, null]));
  const api = new HallwatchApi(options.check!.apiUrl, options.check!.token);
  const known = new Map<string, number | null>();
  for (const site of new Set(rows.map((row) => row.site))) {
    for (const [key, seconds] of await api.intervalPoints(site)) if (keys.has(key)) known.set(key, seconds);
  }
  return known;
}
