import { Logger } from '@nestjs/common';
import { setDebugLogger, setErrorLogger, setWarningLogger } from 'node-opcua-debug';
import { format, stripVTControlCharacters } from 'node:util';

const logger = new Logger('node-opcua');

/** What node-opcua hands its loggers first: where the line comes from. */
interface Context {
  filename?: string;
}

/**
 * node-opcua prints its warnings and errors with console.log, coloured and over several lines,
 * which breaks a JSON log. Sends them through the app's logger (pino) instead, one entry each,
 * with node-opcua's source file as `module`. Global to node-opcua; calling it again changes nothing.
 */
export function routeNodeOpcuaLogs(): void {
  const to =
    (level: 'error' | 'warn' | 'debug') =>
    (context?: unknown, ...args: unknown[]) => {
      const module = (context as Context | undefined)?.filename;
      logger[level]({ module }, stripVTControlCharacters(format(...args)).trim());
    };
  setErrorLogger(to('error'));
  setWarningLogger(to('warn'));
  setDebugLogger(to('debug'));
}
