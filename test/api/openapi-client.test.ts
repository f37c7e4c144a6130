import { NestFactory } from '@nestjs/core';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiModule } from '@hallwatch/api';
import { apiDocument } from '../../apps/api/src/openapi/api-document';

const ROOT = join(__dirname, '../..');
const DASHBOARD = join(ROOT, 'apps/dashboard');
const GENERATED = 'src/api/generated/openapi.ts';
const TSC = join(ROOT, 'node_modules/.bin/tsc');
const GENERATOR = join(ROOT, 'node_modules/.bin/openapi-typescript');
const run = promisify(execFile);

/** The API's OpenAPI document as the running code makes it (Nest's preview mode: no provider, no service). */
async function documentNow(): Promise<Record<string, unknown>> {
  const app = await NestFactory.create(ApiModule, { preview: true, logger: false, abortOnError: false });
  const document = apiDocument(app);
  await app.close();
  return JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
}

/**
 * The types `npm run build:api-types` writes for a document: its command, run on the document in a
 * temporary file (the generator is an ES module, which jest's CommonJS runtime cannot load).
 */
async function typesOf(document: Record<string, unknown>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hallwatch-openapi-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    await run(GENERATOR, [join(dir, 'openapi.json'), '--output', join(dir, 'openapi.ts')], { cwd: ROOT });
    return readFileSync(join(dir, 'openapi.ts'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Type-checks a copy of the dashboard whose generated types are `types`: what tsc reports, and
 * whether it passed. The copy lives in a temporary directory that links the repo's node_modules.
 */
async function typecheckDashboardWith(types: string): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'hallwatch-dashboard-'));
  try {
    cpSync(join(DASHBOARD, 'src'), join(dir, 'src'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, GENERATED), types);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(DASHBOARD, 'tsconfig.json'), include: ['src'] }));
    try {
      await run(TSC, ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
      return { ok: true, output: '' };
    } catch (error) {
      return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A copy of the document where the alert list's answer no longer has `severity` (a breaking change). */
function withoutAlertSeverity(document: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(document)) as {
    paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: AlertListSchema }> }> } }>;
  };
  const alert = copy.paths['/api/v1/alerts'].get.responses['200'].content['application/json'].schema.items;
  delete alert.properties.severity;
  alert.required = alert.required.filter((name) => name !== 'severity');
  return copy;
}

interface AlertListSchema {
  items: { properties: Record<string, unknown>; required: string[] };
}

describe('the dashboard typed client (#18 item 4)', () => {
  let document: Record<string, unknown>;

  beforeAll(async () => {
    document = await documentNow();
  });

  it('is generated from the document the API makes now: a server change without `npm run build:api-types` fails here', async () => {
    const committed = readFileSync(join(DASHBOARD, GENERATED), 'utf8');
    expect(committed).toBe(await typesOf(document));
  });

  it('type-checks the dashboard, and a breaking change in an answer is a type error in it', async () => {
    const current = await typecheckDashboardWith(await typesOf(document));
    expect(current).toEqual({ ok: true, output: '' });

    const broken = await typecheckDashboardWith(await typesOf(withoutAlertSeverity(document)));
    expect(broken.ok).toBe(false);
    expect(broken.output).toMatch(/Property 'severity' does not exist/);
    // Two type-checks of the whole dashboard: a minute or more on a busy 2-core machine.
  }, 240_000);
});
