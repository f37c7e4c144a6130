import { createServer, Server } from 'node:net';
import { connectAsync } from 'mqtt';

export interface EmbeddedBroker {
  close(): Promise<void>;
}

/**
 * For the standalone demo: when nothing answers at a local MQTT_URL, run an in-process broker
 * (aedes) on its port. Returns undefined when a broker already answers.
 */
export async function startEmbeddedBrokerIfAbsent(url: string, log: (message: string) => void): Promise<EmbeddedBroker | undefined> {
  if (await brokerAnswers(url)) return undefined;
  const { hostname, port } = new URL(url);
  if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(hostname)) {
    throw new Error(`No MQTT broker answers at ${url}, and an embedded one can only stand in on this machine`);
  }
  const { Aedes } = await import('aedes');
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
  const portNumber = Number(port || 1883);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(portNumber, hostname === 'localhost' ? '127.0.0.1' : hostname.replace(/[[\]]/g, ''), resolve);
  });
  log(`No MQTT broker at ${url}: started an embedded one (aedes, in memory) on port ${portNumber}`);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}

async function brokerAnswers(url: string): Promise<boolean> {
  try {
    const client = await connectAsync(url, { connectTimeout: 1500, reconnectPeriod: 0 });
    await client.endAsync();
    return true;
  } catch {
    return false;
  }
}
