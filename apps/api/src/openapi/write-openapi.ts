import { NestFactory } from '@nestjs/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ApiModule } from '../api.module';
import { apiDocument } from './api-document';

/**
 * Writes the OpenAPI document to docs/openapi.json (or the path given), without a database or any
 * service: Nest's preview mode scans the modules but creates no provider. Run by `npm run build`.
 */
async function writeOpenApi(target: string): Promise<void> {
  const app = await NestFactory.create(ApiModule, { preview: true, logger: ['error'], abortOnError: false });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(apiDocument(app), null, 2)}\n`);
  await app.close();
}

writeOpenApi(resolve(process.argv[2] ?? 'docs/openapi.json')).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
