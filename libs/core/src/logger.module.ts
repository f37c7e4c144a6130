import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@hallwatch/config';

/** Structured JSON logs (pino) with the app name, a request id, and secrets redacted. */
@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Named wildcard (path-to-regexp 8): the default '*' is converted with a warning at every start.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.get('LOG_LEVEL'),
          base: { app: config.get('HALLWATCH_APP') },
          genReqId: (request) => (request.headers['x-request-id'] as string | undefined) ?? randomUUID(),
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.password', '*.HALLWATCH_API_TOKEN', '*.DATABASE_URL'],
            censor: '[redacted]',
          },
          autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
          transport: config.get('LOG_PRETTY') ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
        },
      }),
    }),
  ],
})
export class LoggerModule {}
