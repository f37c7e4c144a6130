import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered. */
  status: number;
}

/**
 * A local HTTP server that takes webhooks: the far end of notifications in tests. `failFirst(path, n)`
 * makes it answer 500 to the first n attempts of each delivery (X-Hallwatch-Delivery) on that path.
 */
export async function startWebhookReceiver() {
  const received: ReceivedHook[] = [];
  const failures = new Map<string, number>();
  const server = createServer((request, response) => {
    // A sender killed mid-request (the worker stopped with SIGKILL) resets the connection: not ours to fail on.
    request.on('error', () => undefined);
    response.on('error', () => undefined);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const delivery = String(request.headers['x-hallwatch-delivery'] ?? '');
      const earlier = received.filter((hook) => hook.path === path && hook.headers['x-hallwatch-delivery'] === delivery).length;
      const status = earlier < (failures.get(path) ?? 0) ? 500 : 204;
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    failFirst: (path: string, attempts: number) => failures.set(path, attempts),
    /** Deliveries answered 2xx on a path, one entry per attempt. */
    accepted: (path: string) => received.filter((hook) => hook.path === path && hook.status < 300),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Checks `X-Hallwatch-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` as a receiver would. */
export function validSignature(hook: ReceivedHook, secret: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers['x-hallwatch-signature'] ?? ''));
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${hook.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}
