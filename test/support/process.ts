import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

export interface AppProcess {
  child: ChildProcess;
  output: string[];
  /** Waits for the process to exit after SIGTERM (graceful) or SIGKILL, and for its last output. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a built app (`npm run build` first) as its own process with the given environment;
 * `nodeArgs` go to node itself (e.g. `--cpu-prof` for a benchmark's profile).
 */
export function startProcess(
  app: 'ingest' | 'api' | 'worker' | 'standalone',
  env: Record<string, string>,
  nodeArgs: string[] = [],
): AppProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/apps', app, 'src/main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  // 'close', not 'exit': the output is complete only once the pipes have closed too.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
