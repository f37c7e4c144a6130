import { createHttpApp, listen } from '@hallwatch/core';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors, with /health and /metrics over HTTP for probes and scraping. */
async function bootstrap(): Promise<void> {
  const app = await createHttpApp(WorkerModule);
  await listen(app);
}

void bootstrap();
