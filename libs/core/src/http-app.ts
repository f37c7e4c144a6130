import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@hallwatch/config';
import { ErrorFilter } from './error.filter';
import { boundShutdown } from './shutdown-bound';

export const API_PREFIX = 'api/v1';
/** Routes served at the root, outside API_PREFIX. */
export const UNPREFIXED_ROUTES = ['health', 'health/live', 'health/details', 'metrics'];

/** Creates an HTTP app the way every Hallwatch process serves. */
export async function createHttpApp(rootModule: Type<unknown>, { shutdownHooks = true } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule, { bufferLogs: true });
  configureHttpApp(app);
  if (shutdownHooks) app.enableShutdownHooks();
  boundShutdown();
  return app;
}

/**
 * The dashboard's content security policy: its own scripts only, its own API and socket, no frames.
 * Inline style attributes stay allowed (charts size their canvases with them).
 */
const DASHBOARD_CSP = {
  useDefaults: true,
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'connect-src': ["'self'", 'ws:', 'wss:'],
    'frame-ancestors': ["'none'"],
  },
};

/** Logs, secure headers, the API prefix (health and metrics stay at the root) and error mapping. */
export function configureHttpApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  const withCsp = helmet({ contentSecurityPolicy: DASHBOARD_CSP });
  // Swagger UI (/api/docs) starts itself with an inline script: it gets every header but the CSP.
  const withoutCsp = helmet({ contentSecurityPolicy: false });
  app.use((request: { path: string }, response: unknown, next: () => void) =>
    (request.path.startsWith('/api/docs') ? withoutCsp : withCsp)(request as never, response as never, next),
  );
  // Behind a reverse proxy that terminates HTTPS: the client's address for limits and the audit log.
  const trustProxy = app.get(AppConfig).get('TRUST_PROXY');
  if (trustProxy) (app.getHttpAdapter().getInstance() as { set(key: string, value: unknown): void }).set('trust proxy', trustProxy);
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  app.useGlobalFilters(new ErrorFilter());
}

export async function listen(app: INestApplication): Promise<void> {
  const config = app.get(AppConfig);
  await app.listen(config.get('PORT'));
  app.get(Logger).log(`${config.get('HALLWATCH_APP')} listening on http://localhost:${config.get('PORT')}`);
}
