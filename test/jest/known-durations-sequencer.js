const { readFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = join(__dirname, '../..');
/** Seconds each suite took in a whole run (record-durations.js rewrites it from a whole run's --json output). */
const KNOWN_SECONDS = JSON.parse(readFileSync(join(__dirname, 'suite-durations.json'), 'utf8'));

/**
 * Jest starts the slowest suites first only when its cache remembers how long they took; a fresh
 * clone (CI) has no cache, and jest then orders by file size: of the suites that took over 100 s in
 * a whole run, six (demo-start, savings-missing-data, estimated-usage, ...: 80-100 lines each)
 * started after the 80th of 168, behind short ones, to finish last. This sequencer takes
 * a suite's time from jest's cache when there is one, else from the durations recorded here.
 * Suites recorded nowhere (new ones) still run first, by size, as jest does.
 */
class KnownDurationsSequencer extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached !== undefined) return cached;
    const known = KNOWN_SECONDS[relative(ROOT, test.path)];
    return known === undefined ? undefined : known * 1000;
  }
}

module.exports = KnownDurationsSequencer;
