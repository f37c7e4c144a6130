import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import Redis from 'ioredis';
import { StartupError } from './startup-error';

/** Where a bare REDIS_SERVER_BIN name is looked for after PATH (Debian, Homebrew, source builds). */
const USUAL_FOLDERS = ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin'];

export interface EmbeddedRedis {
  /** redis://:password@127.0.0.1:port */
  url: string;
  port: number;
  dir: string;
  version: string;
  pid: number;
  close(): Promise<void>;
}

/** The executable a REDIS_SERVER_BIN names: a path as it is, a bare name on PATH and then in the usual folders. */
// PATH is where a program is looked for, not a setting of Hallwatch.
// eslint-disable-next-line no-restricted-syntax
export function findRedisServer(bin: string, path = process.env.PATH ?? ''): { found?: string; lookedAt: string[] } {
  const candidates = bin.includes('/')
    ? [resolve(bin)]
    : [...path.split(delimiter).filter((folder) => isAbsolute(folder)), ...USUAL_FOLDERS].map((folder) => join(folder, bin));
  const lookedAt = [...new Set(candidates)];
  const found = lookedAt.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  return { found, lookedAt };
}

/**
 * Starts a redis-server of the app's own: bound to 127.0.0.1 on a free port, a password of this run
 * only, its append-only file in `dir`. A server a killed earlier run left behind (its pid file) is
 * stopped first, so two never write the same files. The server is stopped by `close()`, or when
 * this process exits whatever the way.
 */
export async function startEmbeddedRedis(binary: string, dir: string): Promise<EmbeddedRedis> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pidFile = join(dir, 'redis.pid');
  await stopLeftover(pidFile);
  let lastFailure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const password = randomBytes(18).toString('base64url');
    const configFile = join(dir, 'redis.conf');
    writeFileSync(
      configFile,
      [
        'bind 127.0.0.1',
        `port ${port}`,
        'protected-mode yes',
        `requirepass ${password}`,
        `dir ${JSON.stringify(resolve(dir))}`,
        `pidfile ${JSON.stringify(resolve(pidFile))}`,
        'daemonize no',
        'appendonly yes',
        'appendfsync everysec',
        'save ""',
        'logfile ""',
        'loglevel warning',
      ].join('\n') + '\n',
      { mode: 0o600 },
    );
    const child = spawn(binary, [configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (chunk: Buffer) =>
      output.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exited = new Promise<string>((resolveExit) => {
      child.once('error', (error) => resolveExit(error.message));
      child.once('exit', (code, signal) => resolveExit(`exited ${signal ?? code}`));
    });
    const url = `redis://:${password}@127.0.0.1:${port}`;
    const outcome = await Promise.race([answers(url, 8000).then((version) => ({ version })), exited.then((reason) => ({ reason }))]);
    if ('version' in outcome && outcome.version) {
      const stopOnExit = () => child.kill('SIGTERM'); // it flushes and exits on its own after this process is gone
      process.once('exit', stopOnExit);
      return {
        url,
        port,
        dir: resolve(dir),
        version: outcome.version,
        pid: child.pid!,
        close: async () => {
          process.removeListener('exit', stopOnExit);
          await stop(child, exited);
        },
      };
    }
    child.kill('SIGKILL');
    await exited;
    lastFailure = ('reason' in outcome ? `${outcome.reason}: ` : 'did not answer within 8 s: ') + (output.at(-1) ?? 'no output');
    if (!/address already in use/i.test(lastFailure)) break;
  }
  throw new StartupError(
    `nothing answers at REDIS_URL and ${binary} did not start (${lastFailure.trim()})`,
    'set REDIS_URL to a running Redis (sudo apt install redis-server starts one at redis://127.0.0.1:6379)',
  );
}

/** The server's version once it answers PING within `timeoutMs`; undefined if it never does. */
async function answers(url: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 1000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const info = await client.info('server');
      return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    } catch {
      await new Promise((wait) => setTimeout(wait, 100));
    } finally {
      client.disconnect();
    }
  }
  return undefined;
}

async function stop(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM'); // redis-server flushes its append-only file and exits
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** Stops the redis-server of an earlier run that was killed before it could stop it. */
async function stopLeftover(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isRedisServer(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isRedisServer(pid) && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 100));
}

function isRedisServer(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis');
  } catch {
    return false; // no /proc (macOS): never stop a process it cannot name
  }
}

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
