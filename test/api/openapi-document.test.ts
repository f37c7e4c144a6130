import { NestFactory } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiModule } from '@hallwatch/api';
import { apiDocument } from '../../apps/api/src/openapi/api-document';

/** docs/openapi.json is what `npm run build` writes (build:openapi); a route changed since means running it again. */
describe('docs/openapi.json (#18 item 1)', () => {
  it('is the document the api generates now', async () => {
    // Preview mode: the modules are scanned, no provider is created, so no service is needed.
    const app = await NestFactory.create(ApiModule, { preview: true, logger: false, abortOnError: false });
    const generated = apiDocument(app);
    await app.close();
    const written = JSON.parse(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8')) as unknown;
    expect(written).toEqual(JSON.parse(JSON.stringify(generated)));
  });
});
