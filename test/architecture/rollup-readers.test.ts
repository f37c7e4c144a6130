import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ROLLUP_TABLE = /rollups_(15m|1h|1d)/;

/**
 * The files that may name a rollup table: RollupRepository holds every read of them, the rollup
 * engine (the refresher and the append path) writes them. Anything else asks RollupRepository.
 * Scanned like table-owners.test.ts: the sources of the apps, libs and simulators, not tests.
 */
const ALLOWED = [
  'libs/readings/src/rollup-append.ts',
  'libs/readings/src/rollup-refresher.service.ts',
  'libs/readings/src/rollup.repository.ts',
];

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'test', 'tests', '__tests__']);

/** The TypeScript sources under `folder`, tests and specs left out. */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.(spec|test)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('the rollup tables', () => {
  it('are named in SQL only by RollupRepository and the rollup engine', () => {
    const naming = ['apps', 'libs', 'simulators']
      .flatMap((folder) => sources(join(ROOT, folder)))
      .filter((path) => ROLLUP_TABLE.test(readFileSync(path, 'utf8')))
      .map((path) => relative(ROOT, path).split(sep).join('/'))
      .sort();
    expect(naming).toEqual(ALLOWED);
  });
});
