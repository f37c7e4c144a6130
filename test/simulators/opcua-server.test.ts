import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import {
  AttributeIds,
  BrowseDirection,
  ClientSession,
  DataType,
  DataValue,
  MessageSecurityMode,
  NodeClass,
  OPCUAClient,
  SecurityPolicy,
  StatusCodes,
} from 'node-opcua-client';
import { browseEndpoint } from '@hallwatch/opcua';
import { loadRegistryFile } from '@hallwatch/registry';
import { SimulatorHandle, startSimulator } from '@hallwatch/simulators';
import { eventually, freePort, TEST_MQTT_URL } from '@hallwatch/testing';

const REGISTRY = join(__dirname, '../../registry/demo-city-hall.yaml');
const site = loadRegistryFile(REGISTRY).sites[0];

describe("the simulator's OPC UA server for the demo city hall", () => {
  const pki = mkdtempSync(join(tmpdir(), 'hallwatch-sim-opcua-client-'));
  const certificates = new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true });
  let simulator: SimulatorHandle;
  let url: string;

  /** Runs `use` in a session over a fresh connection with the given security. */
  const withSession = async <T>(
    securityMode: MessageSecurityMode,
    securityPolicy: SecurityPolicy,
    use: (session: ClientSession) => Promise<T>,
  ): Promise<T> => {
    const client = OPCUAClient.create({
      applicationName: 'Hallwatch simulator test',
      applicationUri: 'urn:hallwatch:simulator-test',
      clientCertificateManager: certificates,
      securityMode,
      securityPolicy,
      endpointMustExist: false,
      connectionStrategy: { maxRetry: 2, initialDelay: 200, maxDelay: 1000 },
    });
    await client.connect(url);
    try {
      const session = await client.createSession();
      try {
        return await use(session);
      } finally {
        await session.close();
      }
    } finally {
      await client.disconnect();
    }
  };
  const read = (session: ClientSession, nodeId: string): Promise<DataValue> => session.read({ nodeId, attributeId: AttributeIds.Value });

  beforeAll(async () => {
    await certificates.initialize();
    // No MQTT output: only the OPC UA server, a simulated minute a second (a tick about every 80 ms).
    simulator = await startSimulator({
      mqttUrl: TEST_MQTT_URL,
      registryPath: REGISTRY,
      output: 'none',
      opcuaPort: await freePort(),
      speed: 60,
      tickMs: 5000,
    });
    url = simulator.opcua!.url;
  });

  afterAll(async () => {
    await simulator?.stop();
    await certificates.dispose();
    rmSync(pki, { recursive: true, force: true });
  });

  it('has one object per asset under Objects, with a variable per point at ns=1;s=<asset>.<point>', async () => {
    const { assets, chillerPoints } = await withSession(MessageSecurityMode.None, SecurityPolicy.None, async (session) => {
      const objects = await session.browse({
        nodeId: 'ObjectsFolder',
        browseDirection: BrowseDirection.Forward,
        referenceTypeId: 'Organizes',
        nodeClassMask: NodeClass.Object,
        resultMask: 63,
      });
      const chiller = objects.references!.find((reference) => reference.browseName.name === 'chiller-1')!;
      const variables = await session.browse({
        nodeId: chiller.nodeId,
        browseDirection: BrowseDirection.Forward,
        referenceTypeId: 'HasComponent',
        nodeClassMask: NodeClass.Variable,
        resultMask: 63,
      });
      return {
        assets: objects
          .references!.filter((reference) => reference.browseName.namespaceIndex === 1)
          .map((reference) => reference.browseName.name),
        chillerPoints: variables.references!.map((reference) => [reference.browseName.name, reference.nodeId.toString()]),
      };
    });
    expect(assets).toEqual(site.assets.map((asset) => asset.key));
    const chiller = site.assets.find((asset) => asset.key === 'chiller-1')!;
    // Derived points (an `expression`, e.g. kW/RT) are Hallwatch's to compute: no node.
    expect(chillerPoints).toEqual(
      chiller.points.filter((point) => !point.expression).map((point) => [point.key, `ns=1;s=chiller-1.${point.key}`]),
    );
  });

  it('serves numbers as Double and status points as Boolean, with values that change tick by tick', async () => {
    await withSession(MessageSecurityMode.None, SecurityPolicy.None, async (session) => {
      const first = await eventually(async () => {
        const value = await read(session, 'ns=1;s=weather.outdoorT');
        expect(value.statusCode).toBe(StatusCodes.Good);
        return value;
      });
      expect(first.value.dataType).toBe(DataType.Double);
      expect(first.value.value).toEqual(expect.any(Number));
      const running = await read(session, 'ns=1;s=ahu-2f.running');
      expect(running.statusCode).toBe(StatusCodes.Good);
      expect(running.value.dataType).toBe(DataType.Boolean);
      // The weather's noise changes its value, and the source timestamp (simulated time) moves on, every tick.
      await eventually(async () => {
        const later = await read(session, 'ns=1;s=weather.outdoorT');
        expect(later.sourceTimestamp!.getTime()).toBeGreaterThan(first.sourceTimestamp!.getTime() + 10_000);
        expect(later.value.value).not.toBe(first.value.value);
      });
      const kWh = await read(session, 'ns=1;s=main-incomer.kWh');
      await eventually(async () =>
        expect((await read(session, 'ns=1;s=main-incomer.kWh')).value.value).toBeGreaterThan(kWh.value.value as number),
      );
    });
  });

  it('accepts a SignAndEncrypt Basic256Sha256 session with a client certificate it has not seen before', async () => {
    const value = await withSession(MessageSecurityMode.SignAndEncrypt, SecurityPolicy.Basic256Sha256, (session) =>
      read(session, 'ns=1;s=main-incomer.kW'),
    );
    expect(value.statusCode).toBe(StatusCodes.Good);
    expect(value.value.value).toBeGreaterThan(0);
  });

  it("gives a registry entry whose nodes Hallwatch's own browse finds (Sign, Basic256Sha256)", async () => {
    const entry = simulator.opcua!.registryEntries({ securityMode: 'Sign' }).get(site.key)!;
    expect(entry).toMatchObject({ url, securityMode: 'Sign', securityPolicy: 'Basic256Sha256', auth: 'anonymous' });
    const browsed = await browseEndpoint({ ...entry, key: entry.key }, certificates, undefined);
    // The server's own standard nodes (namespace 0) are not the building.
    const proposed = new Set(browsed.proposal.mappings.map((mapping) => mapping.nodeId).filter((nodeId) => nodeId.startsWith('ns=1;')));
    const mapped = entry.mappings.map((mapping) => mapping.nodeId);
    expect([...proposed].filter((nodeId) => !mapped.includes(nodeId))).toEqual([]);
    // Only a point that has had no value yet (the fuel log between refuellings) is not proposed.
    expect(mapped.filter((nodeId) => !proposed.has(nodeId))).toEqual(
      mapped.filter((nodeId) => !proposed.has(nodeId) && nodeId.startsWith('ns=1;s=fuel-log.')),
    );
    expect(mapped.length).toBe(site.assets.flatMap((asset) => asset.points.filter((point) => !point.expression)).length);
  });
});
