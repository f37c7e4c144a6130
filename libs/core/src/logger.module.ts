import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { DestinationStream, LoggerOptions } from 'pino';
import { AppConfig } from '@hallwatch/config';

/**
 * Whether log lines are for a person (pino-pretty) or for a machine (JSON): LOG_PRETTY=on or off
 * decides; `auto` is pretty when stdout is a terminal. pino-pretty is not in a production image
 * (`npm prune --omit=dev` may drop it): then the lines stay JSON, with a warning when it was asked for.
 */
export function prettyLogStream(
  config: AppConfig,
  isTty = Boolean(process.stdout.isTTY),
): { stream?: DestinationStream; warning?: string } {
  const setting = config.get('LOG_PRETTY');
  if (setting === false || (setting === 'auto' && !isTty)) return {};
  let pretty: (options: Record<string, unknown>) => DestinationStream;
  try {
    // Loaded only when wanted: JSON logs never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pretty = require('pino-pretty') as typeof pretty;
  } catch {
    return setting === true
      ? { warning: 'LOG_PRETTY=on but pino-pretty is not installed (npm install pino-pretty): logging JSON lines' }
      : {};
  }
  return {
    stream: pretty({
      sync: true,
      colorize: isTty,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      messageFormat: '{if context}[{context}] {end}{msg}',
      // The start-up summary's fields are for machines: its lines say it all.
      ignore: 'pid,hostname,app,context,req,res,summary',
    }),
  };
}

/** pino's options of every Hallwatch process: level, app name, secrets redacted. */
export function loggerOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.get('LOG_LEVEL'),
    base: { app: config.get('HALLWATCH_APP') },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.password', '*.HALLWATCH_API_TOKEN', '*.DATABASE_URL'],
      censor: '[redacted]',
    },
  };
}

/** Structured logs (pino) with the app name, a request id, and secrets redacted: JSON lines, or readable ones on a terminal. */
@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const { stream } = prettyLogStream(config);
        const options = {
          ...loggerOptions(config),
          genReqId: (request: { headers: Record<string, string | string[] | undefined> }) =>
            (request.headers['x-request-id'] as string | undefined) ?? randomUUID(),
          autoLogging: { ignore: (request: { url?: string }) => request.url === '/health' || request.url === '/metrics' },
          // Readable lines name the request instead of printing its headers.
          ...(stream
            ? {
                customSuccessMessage: (request: { method?: string; url?: string }, response: { statusCode: number }, ms: number) =>
                  `${request.method} ${request.url} ${response.statusCode} ${Math.round(ms)} ms`,
                customErrorMessage: (request: { method?: string; url?: string }, response: { statusCode: number }, error: Error) =>
                  `${request.method} ${request.url} ${response.statusCode} ${error.message}`,
              }
            : {}),
        };
        return {
          // Named wildcard (path-to-regexp 8): the default '*' is converted with a warning at every start.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: stream ? [options, stream] : options,
        };
      },
    }),
  ],
})
export class LoggerModule {}
