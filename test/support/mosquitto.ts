import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { eventually } from './eventually';

export interface TestBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A Mosquitto of the suite's own, with the project's broker configuration (deploy/mosquitto),
 * on a free port: the limits that matter for loss (queued messages per offline session) are ours,
 * not the machine's defaults.
 */
export async function startMosquitto({
  port,
  persistence = true,
  limits = {},
}: {
  port?: number;
  persistence?: boolean;
  /** Settings that replace the project's, e.g. a stock broker's small `max_queued_messages` that drops messages. */
  limits?: Record<string, number>;
} = {}): Promise<TestBroker> {
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  const project = readFileSync(join(__dirname, '../../deploy/mosquitto/mosquitto.conf'), 'utf8')
    .replace(/^listener .*$/m, `listener ${port} 127.0.0.1`)
    .replace(/^persistence .*$/m, `persistence ${persistence}`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`)
    .replace(/^(max_\w+) .*$/gm, (line, name: string) => (name in limits ? `${name} ${limits[name]}` : line));
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, project);
  const broker = spawn('mosquitto', ['-c', config], { stdio: 'ignore' });
  const url = `mqtt://127.0.0.1:${port}`;
  await eventually(async () => (await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 1000 })).endAsync());
  return {
    url,
    port,
    stop: async () => {
      broker.kill('SIGTERM');
      await new Promise((resolve) => broker.once('exit', resolve));
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
