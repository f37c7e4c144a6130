/**
 * Opening a history inbox a back-fill left behind: DiskSpool.open() parsing every record (what the
 * inbox did before) against open({ read: false }) checking their framing and checksums (what it does now; its
 * reader reads them later, one message at a time). Messages are gateway catch-ups of 500 times x 10
 * values (5,000 readings), as the latency benchmark's back-fill sends them.
 * Run: NODE_OPTIONS=--expose-gc npx tsx --tsconfig tsconfig.json bench/spool-open.bench.ts [--messages 2500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DiskSpool } from '../apps/ingest/src/spool/disk-spool';
import { machineLoad } from './bench-helpers';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '2500' } } });
const MESSAGES = Number(args.messages);
const SEGMENT_BYTES = 64 * 2 ** 20;

function main(): void {
  console.log(`machine before the run: ${machineLoad()}`);
  const dir = mkdtempSync(join(tmpdir(), 'spool-open-'));
  const writer = new DiskSpool<unknown>(dir, 2 ** 40, SEGMENT_BYTES);
  writer.open();
  const values = Object.fromEntries(Array.from({ length: 10 }, (_, p) => [`p${p}`, 123.456]));
  const entries = Array.from({ length: 500 }, (_, k) => ({ ts: 1_700_000_000_000 + k * 900_000, values }));
  const payload = Buffer.from(JSON.stringify(entries)).toString('base64');
  for (let i = 0; i < MESSAGES; i++)
    writer.append({ source: 'mqtt:hallwatch/v1', topic: 'hallwatch/v1/hall/meter-1', payload, receivedAt: Date.now() });
  writer.close();
  console.log(`inbox: ${MESSAGES} messages of 5,000 readings, ${(writer.bytes / 2 ** 20).toFixed(0)} MB`);

  const rows: Record<string, { ms: number; records: number; heapMB: number }> = {};
  for (const [round, read] of [true, false, true, false].entries()) {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const spool = new DiskSpool<unknown>(dir, 2 ** 40, SEGMENT_BYTES);
    const left = spool.open({ read });
    const ms = performance.now() - started;
    const heapMB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    if (spool.lastSeq !== MESSAGES) throw new Error(`open({ read: ${read} }) found ${spool.lastSeq} messages, not ${MESSAGES}`);
    rows[`run ${round + 1}: open({ read: ${read} })`] = { ms: Math.round(ms), records: left.length, heapMB: Math.round(heapMB) };
    spool.close();
  }
  console.table(rows);
  if (!global.gc) console.log('(set NODE_OPTIONS=--expose-gc for the heap column to mean something)');
  rmSync(dir, { recursive: true, force: true });
}

main();
