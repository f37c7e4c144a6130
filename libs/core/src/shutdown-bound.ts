import { Logger } from '@nestjs/common';

/** A stop ends within 10 s: the hooks get 9, and a process still running then exits anyway. */
export const SHUTDOWN_BOUND_MS = 9_000;

/**
 * Whatever the shutdown hooks are waiting for (a source server that vanished, a database that
 * never answers), a SIGTERM or SIGINT ends the process within the bound: orchestrators and
 * operators rely on a stop that stops. Data is safe either way: what was not acknowledged, the
 * broker delivers again.
 */
export function boundShutdown(ms = SHUTDOWN_BOUND_MS): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        new Logger('Shutdown').error(`${signal}: shutdown not done after ${ms} ms, exiting anyway`);
        process.exit(1);
      }, ms).unref();
    });
  }
}
