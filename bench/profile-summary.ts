/**
 * Where a V8 CPU profile (node --cpu-prof) spends its time: self time per function, the top N,
 * and total time per file group (our code, node_modules by package, node internals, GC, idle).
 * Run: npx tsx bench/profile-summary.ts DIR_OR_FILE [--top 25]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const target = positionals[0];
if (!target) throw new Error('usage: profile-summary DIR_OR_FILE [--top N]');
const file = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => join(target, name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
  : target;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
const byGroup = new Map<string, number>();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|dist)\//, '$1/');
  const key = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  byGroup.set(group(url, functionName), (byGroup.get(group(url, functionName)) ?? 0) + micros);
}

function group(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)' || name === '(program)') return name;
  const modules = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.includes('/dist/')) return 'hallwatch';
  if (url.startsWith('node:') || url === '') return 'node internals';
  return 'other';
}

const pct = (micros: number) => `${((micros / total) * 100).toFixed(1)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nby group');
for (const [name, micros] of [...byGroup].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(micros).padStart(6)}  ${name}`);
console.log(`\ntop ${values.top} functions by self time`);
for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`  ${pct(micros).padStart(6)}  ${name}`);
}
