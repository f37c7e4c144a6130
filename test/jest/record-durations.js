/**
 * Writes suite-durations.json from the --json output of a whole jest run:
 *   NODE_OPTIONS="--experimental-vm-modules --no-warnings" npx jest --maxWorkers=2 --json --outputFile=/tmp/jest-times.json
 *   node test/jest/record-durations.js /tmp/jest-times.json
 * Only the order matters to the sequencer, so a run on a busy machine is good enough.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '../..');
const [, , resultsFile] = process.argv;
if (!resultsFile) throw new Error('usage: node test/jest/record-durations.js <jest --json output>');
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
const seconds = Object.fromEntries(
  results.testResults
    .map((suite) => [relative(ROOT, suite.name), Math.round((suite.endTime - suite.startTime) / 100) / 10])
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
writeFileSync(join(__dirname, 'suite-durations.json'), `${JSON.stringify(seconds, null, 2)}\n`);
