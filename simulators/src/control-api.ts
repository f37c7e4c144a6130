import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ActiveFaults, Fault, FaultSpecError } from './faults';

export interface ControlApi {
  url: string;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
}

const MAX_BODY_BYTES = 64 * 1024;
const ROUTES = 'the routes are GET /faults, POST /faults and DELETE /faults/:id';

/**
 * The running simulator's fault switchboard, on 127.0.0.1 only: GET /faults lists the faults in
 * force, POST /faults adds one (400 with the reason when the body is not a valid fault), DELETE
 * /faults/:id ends one. Port 0 picks a free port; `url` says which.
 */
export async function startControlApi(faults: ActiveFaults, port: number): Promise<ControlApi> {
  const server = createServer((request, response) => {
    route(request, faults).then(
      (reply) => send(response, reply),
      (error: Error) => send(response, { status: 500, body: { error: error.message } }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(request: IncomingMessage, faults: ActiveFaults): Promise<Reply> {
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  if (path === '/faults') {
    if (request.method === 'GET') return { status: 200, body: faults.list().map(describe) };
    if (request.method !== 'POST') return { status: 405, body: { error: `${request.method} /faults: ${ROUTES}` } };
    const text = await readBody(request);
    if (text === undefined) return { status: 413, body: { error: `a fault is at most ${MAX_BODY_BYTES} bytes` } };
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      return { status: 400, body: { error: 'the body is not JSON: send a fault such as {"kind":"stuck","asset":"weather"}' } };
    }
    try {
      return { status: 201, body: describe(faults.add(input)) };
    } catch (error) {
      if (error instanceof FaultSpecError) return { status: 400, body: { error: error.message } };
      throw error;
    }
  }
  const match = /^\/faults\/([^/]+)$/.exec(path);
  if (match && request.method === 'DELETE') {
    const id = decodeURIComponent(match[1]);
    return faults.remove(id) ? { status: 204 } : { status: 404, body: { error: `no fault ${id} in force` } };
  }
  if (match) return { status: 405, body: { error: `${request.method} ${path}: ${ROUTES}` } };
  return { status: 404, body: { error: `${path}: ${ROUTES}` } };
}

/** A fault as the API shows it: window bounds as ISO times. */
function describe(fault: Fault): Record<string, unknown> {
  return {
    ...fault,
    from: fault.from === undefined ? undefined : new Date(fault.from).toISOString(),
    to: fault.to === undefined ? undefined : new Date(fault.to).toISOString(),
  };
}

/** The body as text, or undefined when it is larger than a fault can be. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large: leaving the loop early would destroy the socket before the 413 goes out.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    response.writeHead(reply.status).end();
    return;
  }
  response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
}
