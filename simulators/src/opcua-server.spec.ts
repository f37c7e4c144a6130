import { join } from 'node:path';
import { parse } from 'yaml';
import { loadRegistryFile, opcuaEndpointDefinition, SiteDefinition } from '@hallwatch/registry';
import { opcuaPointNodes, opcuaRegistryEntry, opcuaRegistryYaml, opcuaUrl } from './opcua-server';

const demo = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;

const tinySite = (key: string): SiteDefinition => ({
  key,
  name: key,
  timezone: 'Asia/Taipei',
  attributes: {},
  opcua: [],
  assets: [
    {
      key: 'chiller-1',
      name: 'Chiller 1',
      type: 'chiller',
      tags: [],
      attributes: {},
      points: [
        { key: 'kW', kind: 'gauge', unit: 'kW', tags: [], attributes: {} },
        { key: 'running', kind: 'status', unit: '', tags: [], attributes: {} },
        { key: 'kwPerRt', kind: 'gauge', unit: '', tags: [], attributes: {}, expression: 'kW / 1' },
      ],
    },
  ],
});

describe('opcuaPointNodes', () => {
  it('names a variable <asset>.<point>, Boolean for status points, and leaves derived points out', () => {
    expect(opcuaPointNodes([tinySite('hall')])).toEqual([
      { site: 'hall', asset: 'chiller-1', point: 'kW', nodeId: 'ns=1;s=chiller-1.kW', dataType: 'Double' },
      { site: 'hall', asset: 'chiller-1', point: 'running', nodeId: 'ns=1;s=chiller-1.running', dataType: 'Boolean' },
    ]);
  });

  it('puts the site first when several sites share the server, so repeated asset keys stay apart', () => {
    const nodeIds = opcuaPointNodes([tinySite('north'), tinySite('south')]).map((node) => node.nodeId);
    expect(nodeIds).toEqual([
      'ns=1;s=north.chiller-1.kW',
      'ns=1;s=north.chiller-1.running',
      'ns=1;s=south.chiller-1.kW',
      'ns=1;s=south.chiller-1.running',
    ]);
    expect(new Set(nodeIds).size).toBe(nodeIds.length);
  });

  it('covers every non-derived point of the demo city hall once', () => {
    const nodes = opcuaPointNodes(demo);
    const points = demo[0].assets.flatMap((asset) =>
      asset.points.filter((point) => !point.expression).map((point) => `${asset.key}.${point.key}`),
    );
    expect(nodes.map((node) => `${node.asset}.${node.point}`)).toEqual(points);
    expect(new Set(nodes.map((node) => node.nodeId)).size).toBe(nodes.length);
  });
});

describe('opcuaRegistryEntry', () => {
  it('is a valid registry endpoint mapping every served point, SignAndEncrypt/Basic256Sha256 and anonymous by default', () => {
    const entry = opcuaRegistryEntry(demo[0], opcuaUrl(4840));
    const parsed = opcuaEndpointDefinition.parse(entry);
    expect(parsed).toMatchObject({
      key: 'sim-opcua',
      url: 'opc.tcp://127.0.0.1:4840/UA/Hallwatch',
      securityMode: 'SignAndEncrypt',
      securityPolicy: 'Basic256Sha256',
      auth: 'anonymous',
    });
    expect(parsed.mappings).toEqual(opcuaPointNodes(demo).map(({ nodeId, asset, point }) => ({ nodeId, asset, point })));
  });

  it('pairs mode None with policy None', () => {
    const entry = opcuaRegistryEntry(tinySite('hall'), opcuaUrl(4841, 'sim.local'), { key: 'plc', securityMode: 'None' });
    expect(opcuaEndpointDefinition.parse(entry)).toMatchObject({
      key: 'plc',
      url: 'opc.tcp://sim.local:4841/UA/Hallwatch',
      securityMode: 'None',
      securityPolicy: 'None',
    });
  });

  it("maps only its own site's nodes when several sites share the server", () => {
    const sites = [tinySite('north'), tinySite('south')];
    expect(opcuaRegistryEntry(sites[1], opcuaUrl(4840), { sites }).mappings).toEqual([
      { nodeId: 'ns=1;s=south.chiller-1.kW', asset: 'chiller-1', point: 'kW' },
      { nodeId: 'ns=1;s=south.chiller-1.running', asset: 'chiller-1', point: 'running' },
    ]);
  });
});

describe('opcuaRegistryYaml', () => {
  it('prints a list to paste under the site, one line per mapping, that reads back as the entry', () => {
    const text = opcuaRegistryYaml([tinySite('hall')], opcuaUrl(4840));
    expect(text).toContain('# site hall: under its opcua: list');
    expect(text).toContain('- { nodeId: ns=1;s=chiller-1.kW, asset: chiller-1, point: kW }');
    expect(parse(text)).toEqual([opcuaRegistryEntry(tinySite('hall'), opcuaUrl(4840))]);
  });
});
