import { createHttpApp, listen } from '@hallwatch/core';
import { IngestModule } from './ingest.module';

/** The ingest process: collectors and the writer, with /health and /metrics over HTTP. */
async function bootstrap(): Promise<void> {
  const app = await createHttpApp(IngestModule);
  await listen(app);
}

void bootstrap();
