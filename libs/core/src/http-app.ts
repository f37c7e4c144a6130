import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@hallwatch/config';
import { ErrorFilter } from './error.filter';

export const API_PREFIX = 'api/v1';

/** Creates an HTTP app the way every Hallwatch process serves. */
export async function createHttpApp(rootModule: Type<unknown>, { shutdownHooks = true } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule, { bufferLogs: true });
  configureHttpApp(app);
  if (shutdownHooks) app.enableShutdownHooks();
  return app;
}

/** Logs, secure headers, the API prefix (health and metrics stay at the root) and error mapping. */
export function configureHttpApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.use(helmet({ contentSecurityPolicy: false }));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics'] });
  app.useGlobalFilters(new ErrorFilter());
}

export async function listen(app: INestApplication): Promise<void> {
  const config = app.get(AppConfig);
  await app.listen(config.get('PORT'));
  app.get(Logger).log(`${config.get('HALLWATCH_APP')} listening on http://localhost:${config.get('PORT')}`);
}
