// Copies what tsc does not: the SQL migrations, next to the compiled migrator.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
cpSync(join(root, 'libs/db/src/migrations'), join(root, 'dist/libs/db/src/migrations'), { recursive: true });
