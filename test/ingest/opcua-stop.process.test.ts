import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { loadRegistryFile, SiteDefinition } from '@hallwatch/registry';
import { AppProcess, eventually, freePort, isolatedEnv, startProcess } from '@hallwatch/testing';

const ROOT = join(__dirname, '../..');
const demo = loadRegistryFile(join(ROOT, 'registry/demo-city-hall.yaml')).sites[0];

/** The built simulator's OPC UA server (the demo city hall's nodes), as a process the test can kill -9. */
function startOpcuaServer(port: number) {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist/simulators/src/cli.js'), '--output', 'none', '--opcua-port', String(port), '--speed', '60', '--tick', '5000'],
    { cwd: ROOT, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { kill: async () => (child.kill('SIGKILL'), await exited) };
}

const listening = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve()));
    socket.on('error', reject);
  });

/** The log lines, each parsed; a line that is not JSON fails the test with the line. */
const logLines = (app: AppProcess) =>
  app.output
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as { msg?: string; context?: string };
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });

/** #16.1 and #16.9: the built app, its OPC UA server killed, stops within 10 s on SIGTERM; its log stays JSON throughout. */
describe('the built app with an OPC UA endpoint whose server vanished', () => {
  let server: ReturnType<typeof startOpcuaServer> | undefined;
  let app: AppProcess | undefined;

  afterAll(async () => {
    await server?.kill();
    await app?.stop('SIGKILL');
  });

  it('logs "online" once, says why it is unreachable, and stops within 10 s of SIGTERM', async () => {
    const opcuaPort = await freePort();
    server = startOpcuaServer(opcuaPort);
    await eventually(() => listening(opcuaPort), { timeoutMs: 30_000 });
    const site: SiteDefinition = {
      key: 'opcua-stop',
      name: 'OPC UA stop',
      timezone: 'Asia/Taipei',
      attributes: {},
      assets: demo.assets.filter((asset) => asset.key === 'weather'),
      opcua: [
        {
          key: 'plc-sim',
          url: `opc.tcp://127.0.0.1:${opcuaPort}/UA/HallwatchSimulator`,
          securityMode: 'None',
          securityPolicy: 'None',
          auth: 'anonymous',
          publishingIntervalMs: 200,
          samplingIntervalMs: 200,
          queueSize: 10,
          mappings: [{ nodeId: 'ns=1;s=weather.outdoorT', asset: 'weather', point: 'outdoorT' }],
        },
      ],
    };
    const port = await freePort();
    const env = isolatedEnv([site], {
      PORT: String(port),
      LOG_LEVEL: 'info',
      DATABASE_EMBEDDED_STORAGE: 'memory',
      OPCUA_TRUST_UNKNOWN_SERVERS: 'on',
    });
    app = startProcess('standalone', env);
    const opcuaLog = () => logLines(app!).filter((line) => line.context === 'OpcuaSource');
    await eventually(() => expect(opcuaLog().map((line) => line.msg)).toContainEqual(expect.stringMatching(/^plc-sim .*: online$/)), {
      timeoutMs: 60_000,
    });
    const health = async () =>
      (await (
        await fetch(`http://127.0.0.1:${port}/health/details`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
      ).json()) as {
        info: { opcua: { endpoints: Array<{ key: string; online: boolean; reason?: string }> } };
      };
    await eventually(async () =>
      expect((await health()).info.opcua.endpoints).toEqual([expect.objectContaining({ key: 'plc-sim', online: true })]),
    );

    await server.kill();
    server = undefined;
    // Lost, then each retry refused: said once per change, and in health.
    await eventually(
      () => expect(opcuaLog().map((line) => line.msg)).toContainEqual(expect.stringMatching(/unreachable, connection refused/)),
      {
        timeoutMs: 30_000,
      },
    );
    expect((await health()).info.opcua.endpoints[0]).toMatchObject({ online: false, reason: expect.stringMatching(/^connection refused/) });

    const stopping = Date.now();
    await app.stop('SIGTERM');
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(app.child.exitCode).toBe(0);

    const messages = opcuaLog().map((line) => line.msg ?? '');
    expect(messages.filter((message) => message.endsWith(': online'))).toHaveLength(1);
    expect(messages.filter((message) => /unreachable, connection refused/.test(message))).toHaveLength(1);
    // node-opcua's own lines came through the logger too, as JSON.
    expect(logLines(app).length).toBeGreaterThan(0);
  }, 150_000);
});
