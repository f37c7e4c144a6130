/**
 * The long main-thread blocks in a V8 CPU profile (node --cpu-prof): every stretch of consecutive
 * samples under the same entry from the event loop (a timer, the immediates, a socket's data, the
 * promise jobs) that lasted at least --min ms, with the call path most of it shared and its
 * garbage-collection share. A block runs without letting the event loop poll for I/O, so a live
 * reading that arrives during it waits for its end: these are the tail of publish -> socket latency.
 * (A loop that yields with setImmediate is never idle, so idle samples alone do not separate tasks.)
 * Run: npx tsx bench/profile-blocks.ts DIR_OR_FILE [--min 20] [--top 30] [--detail N: self time of the N longest]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { min: { type: 'string', default: '20' }, top: { type: 'string', default: '30' }, detail: { type: 'string', default: '0' } },
});
const target = positionals[0];
if (!target) throw new Error('usage: profile-blocks DIR_OR_FILE [--min 20] [--top 30]');
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => join(target, name))
  : [target];
// The ingest process's profile is the largest one in a benchmark's folder.
const file = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const MIN_MS = Number(values.min);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const nameOf = (node: ProfileNode) => {
  const url = node.callFrame.url.split('/').slice(-2).join('/');
  return `${node.callFrame.functionName || '(anonymous)'}${url ? ` ${url}:${node.callFrame.lineNumber + 1}` : ''}`;
};
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
const isGc = (id: number) => byId.get(id)!.callFrame.functionName === '(garbage collector)';
/** Samples outside any JavaScript entry (GC, the VM itself) belong to whatever block they interrupt. */
const isAttached = (id: number) => ['(garbage collector)', '(program)'].includes(byId.get(id)!.callFrame.functionName);
/** The frame the event loop entered JavaScript through: the child of the root. */
function entryOf(id: number): number {
  let at = id;
  while (parentOf.has(at) && parentOf.has(parentOf.get(at)!)) at = parentOf.get(at)!;
  return at;
}

/** The frames of a sample's stack, root first. */
function stackOf(id: number): number[] {
  const stack: number[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.unshift(at);
  return stack;
}

interface Block {
  entry: number;
  startMs: number;
  ms: number;
  gcMs: number;
  samples: Array<{ id: number; ms: number }>;
}

const blocks: Block[] = [];
let clock = 0;
let current: Block | undefined;
for (let i = 0; i < profile.samples.length; i++) {
  const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  const id = profile.samples[i];
  const entry = entryOf(id);
  if (isIdle(id) || (current && !isAttached(id) && entry !== current.entry)) {
    if (current && current.ms >= MIN_MS) blocks.push(current);
    current = undefined;
  }
  if (!isIdle(id)) {
    current ??= { entry, startMs: clock, ms: 0, gcMs: 0, samples: [] };
    current.ms += ms;
    if (isGc(id)) current.gcMs += ms;
    current.samples.push({ id, ms });
  }
  clock += ms;
}

/** The deepest chain of named frames that at least 60 % of the block's time ran under. */
function sharedPath(block: Block): string[] {
  const inclusive = new Map<string, { ms: number; depth: number }>();
  for (const sample of block.samples) {
    const seen = new Set<string>();
    stackOf(sample.id).forEach((frame, depth) => {
      const name = nameOf(byId.get(frame)!);
      if (seen.has(name)) return;
      seen.add(name);
      const entry = inclusive.get(name) ?? { ms: 0, depth };
      entry.ms += sample.ms;
      inclusive.set(name, entry);
    });
  }
  return [...inclusive.entries()]
    .filter(([name, entry]) => entry.ms >= 0.6 * block.ms && !name.startsWith('(root)'))
    .sort((a, b) => a[1].depth - b[1].depth)
    .map(([name]) => name)
    .slice(-4);
}

const totalMs = clock;
const blockMs = blocks.reduce((sum, block) => sum + block.ms, 0);
console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s profiled, ${blocks.length} blocks of ${MIN_MS} ms or more, ${(blockMs / 1000).toFixed(1)} s in them`);
const bySize = [...blocks].sort((a, b) => b.ms - a.ms);
const histogram = [20, 50, 100, 200, 500].map((floor) => `>=${floor} ms: ${blocks.filter((block) => block.ms >= floor).length}`);
console.log(histogram.join(', '));
/** Where the block's own time went: the functions that were on top of the stack, with their callers' caller. */
function selfTime(block: Block): string[] {
  const self = new Map<string, number>();
  for (const sample of block.samples) {
    const stack = stackOf(sample.id).map((frame) => byId.get(frame)!);
    const name = stack
      .slice(-3)
      .map((node) => node.callFrame.functionName || '(anonymous)')
      .join(' < ');
    self.set(name, (self.get(name) ?? 0) + sample.ms);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, ms]) => `      ${ms.toFixed(0).padStart(4)} ms ${name}`);
}

bySize.slice(0, Number(values.top)).forEach((block, rank) => {
  const gc = block.gcMs > 0 ? `, GC ${block.gcMs.toFixed(0)} ms` : '';
  console.log(`${block.ms.toFixed(0).padStart(5)} ms at ${(block.startMs / 1000).toFixed(1)} s${gc}: ${sharedPath(block).join(' > ')}`);
  if (rank < Number(values.detail)) console.log(selfTime(block).join('\n'));
});
