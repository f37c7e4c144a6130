import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { fromWire, LinkState, LiveClient } from './live-client';

/** A /live namespace that accepts every subscription, so the test can push what the real server pushes. */
async function liveServer(): Promise<{ url: string; io: Server; close: () => Promise<void> }> {
  const http = createServer();
  const io = new Server(http);
  io.of('/live').on('connection', (socket) =>
    socket.on('subscribe', (_request: unknown, reply: (r: unknown) => void) => reply({ ok: true })),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/live`;
  const close = async () => {
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => {
      void io.close(() => resolve());
    });
    http.closeAllConnections();
  };
  return { url, io, close };
}

function clientOf(url: string, site: string) {
  const states: LinkState[] = [];
  const client = new LiveClient(
    'token',
    site,
    { onReadings: () => {}, onAlert: () => {}, onResubscribed: () => {}, onState: (state) => states.push(state) },
    url,
  );
  const reached = (status: LinkState['status']) =>
    new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (states.some((state) => state.status === status)) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
  return { client, states, reached };
}

describe('LiveClient and the server telling it about access changes', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('signs out on session-ended instead of reconnecting with a dead token', async () => {
    const server = await liveServer();
    const { client, states, reached } = clientOf(server.url, 'hall');
    cleanups.push(server.close, () => client.stop());
    client.start();
    await reached('live');
    const [socket] = await server.io.of('/live').fetchSockets();
    socket.emit('session-ended', { reason: 'revoked' });
    socket.disconnect(true);
    await reached('unauthorised');
    expect(states.at(-1)).toMatchObject({ status: 'unauthorised', detail: 'revoked' });
  });

  it('says the site was refused when it left the caller scope, and not for another site leaving', async () => {
    const server = await liveServer();
    const { client, states, reached } = clientOf(server.url, 'hall');
    cleanups.push(server.close, () => client.stop());
    client.start();
    await reached('live');
    const [socket] = await server.io.of('/live').fetchSockets();
    socket.emit('scope-changed', { sites: ['hall'], left: ['annex'] });
    socket.emit('scope-changed', { sites: ['annex'], left: ['hall'] });
    await reached('refused');
    // The first change (another site left) came first and changed nothing: the only refusal is for this site.
    expect(states.filter((state) => state.status === 'refused')).toEqual([
      expect.objectContaining({ detail: expect.stringMatching(/removed/) }),
    ]);
    expect(states.map((state) => state.status)).toEqual(['live', 'refused']);
  });
});

describe('readings from the socket', () => {
  it('reads their ISO 8601 times into epoch ms and leaves out a reading whose time does not parse', () => {
    const reading = { site: 's', asset: 'a', point: 'kW', value: 1 };
    expect(
      fromWire([
        { ...reading, ts: '2026-12-01T08:00:00.250+08:00' },
        { ...reading, ts: 'yesterday' },
      ]),
    ).toEqual([{ ...reading, ts: Date.UTC(2026, 11, 1, 0, 0, 0, 250) }]);
  });

  it("keeps an uncertain value's mark, and no other quality", () => {
    const reading = { site: 's', asset: 'a', point: 'kW', value: 1, ts: '2026-12-01T00:00:00.000Z' };
    const read = fromWire([{ ...reading, quality: 'uncertain' }, reading, { ...reading, quality: 'bad' as 'uncertain' }]);
    expect(read).toEqual([
      { site: 's', asset: 'a', point: 'kW', value: 1, ts: Date.UTC(2026, 11, 1), quality: 'uncertain' },
      { site: 's', asset: 'a', point: 'kW', value: 1, ts: Date.UTC(2026, 11, 1) },
      { site: 's', asset: 'a', point: 'kW', value: 1, ts: Date.UTC(2026, 11, 1) },
    ]);
    expect(read.map((one) => 'quality' in one)).toEqual([true, false, false]);
  });
});
