import { createHttpApp, listen } from '@hallwatch/core';
import { ApiModule } from './api.module';
import { configureApi } from './api.setup';

async function bootstrap(): Promise<void> {
  const app = await createHttpApp(ApiModule);
  configureApi(app);
  await listen(app);
}

void bootstrap();
