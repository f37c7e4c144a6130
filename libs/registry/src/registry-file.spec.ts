import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistryFile, RegistryFileError } from './registry-file';

const demoFile = join(__dirname, '../../../registry/demo-city-hall.yaml');

function writeTemp(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'registry-')), 'site.yaml');
  writeFileSync(path, text);
  return path;
}

describe('loadRegistryFile', () => {
  it('loads the demo city hall with chillers, zones, water, PV and weather', () => {
    const [site] = loadRegistryFile(demoFile).sites;
    expect(site.key).toBe('demo-city-hall');
    const types = new Set(site.assets.map((asset) => asset.type));
    expect([...types].sort()).toEqual(
      ['ahu', 'chiller', 'electricity-meter', 'fuel-log', 'pv-inverter', 'water-meter', 'weather-station', 'zone'].sort(),
    );
    expect(site.assets.filter((asset) => asset.type === 'chiller')).toHaveLength(4);
    const incomer = site.assets.find((asset) => asset.key === 'main-incomer');
    expect(incomer?.points.find((point) => point.key === 'kWh')).toMatchObject({ kind: 'cumulative', unit: 'kWh' });
  });

  it('names the file and the path of a wrong value', () => {
    const path = writeTemp('version: 1\nsites:\n  - key: Bad Key\n    name: x\n');
    expect(() => loadRegistryFile(path)).toThrow(RegistryFileError);
    expect(() => loadRegistryFile(path)).toThrow(/site\.yaml: sites\.0\.key: site keys are/);
  });

  it('rejects a point declared twice', () => {
    const point = '{ key: kW, kind: gauge }';
    const path = writeTemp(
      `version: 1\nsites:\n  - key: s\n    name: S\n    assets:\n      - key: a\n        name: A\n        type: meter\n        points: [${point}, ${point}]\n`,
    );
    expect(() => loadRegistryFile(path)).toThrow(/duplicate key s\/a\/kW/);
  });

  describe('OPC UA mappings', () => {
    const endpoint = (mapping: string) =>
      writeTemp(
        'version: 1\nsites:\n  - key: s\n    name: S\n    opcua:\n      - key: plc\n        url: opc.tcp://plc:4840\n' +
          `        mappings:\n          - { asset: a, point: kW, ${mapping} }\n`,
      );

    it.each(['ns=2;s=Chiller1.kW', 'ns=2;i=1001', 'i=2258', 'nsu=urn:plant;s=AHU 3F', 'ns=1;g=09087e75-8e5e-499b-954f-f2a9603db28a', 'ns=1;b=M/RbKBsRVkePCePcx24oRA=='])(
      'accepts the node id %s',
      (nodeId) => expect(loadRegistryFile(endpoint(`nodeId: "${nodeId}"`)).sites[0].opcua[0].mappings[0].nodeId).toBe(nodeId),
    );

    it.each(['ns=1;x=Chiller1.kW', 'Chiller1.kW', 'ns=a;s=kW', 'ns=1;i=12ab', 'ns=1;s='])('refuses the malformed node id %s, naming the mapping', (nodeId) => {
      expect(() => loadRegistryFile(endpoint(`nodeId: "${nodeId}"`))).toThrow(
        /sites\.0\.opcua\.0\.mappings\.0\.nodeId: an OPC UA node id such as ns=2;s=Chiller1\.kW/,
      );
    });

    it('takes sampling interval and queue size per mapping, within bounds', () => {
      const [mapping] = loadRegistryFile(endpoint('nodeId: ns=1;s=kW, samplingIntervalMs: 100, queueSize: 50')).sites[0].opcua[0].mappings;
      expect(mapping).toMatchObject({ samplingIntervalMs: 100, queueSize: 50 });
      expect(() => loadRegistryFile(endpoint('nodeId: ns=1;s=kW, queueSize: 0'))).toThrow(/mappings\.0\.queueSize/);
      expect(() => loadRegistryFile(endpoint('nodeId: ns=1;s=kW, samplingIntervalMs: -1'))).toThrow(/mappings\.0\.samplingIntervalMs/);
    });
  });
});

describe('multistate points', () => {
  const site = (point: string) =>
    writeTemp(
      `version: 1\nsites:\n  - key: hall\n    name: Hall\n    assets:\n      - key: chiller-1\n        name: Chiller 1\n        type: chiller\n        points:\n          - ${point}\n`,
    );

  it('loads a multistate point with its states and bilingual labels', () => {
    const path = site(
      '{ key: mode, kind: multistate, states: [{ value: 0, en: "off", zh-TW: 停機 }, { value: 1, en: "on", zh-TW: 運轉 }, { value: 2, en: fault }] }',
    );
    expect(loadRegistryFile(path).sites[0].assets[0].points[0]).toMatchObject({
      kind: 'multistate',
      states: [
        { value: 0, en: 'off', 'zh-TW': '停機' },
        { value: 1, en: 'on', 'zh-TW': '運轉' },
        { value: 2, en: 'fault' },
      ],
    });
  });

  it.each([
    ['without states', '{ key: mode, kind: multistate }', /states: a multistate point lists at least two states/],
    ['with one state', '{ key: mode, kind: multistate, states: [{ value: 0, en: "off" }] }', /at least two states/],
    ['with a state twice', '{ key: mode, kind: multistate, states: [{ value: 1, en: "on" }, { value: 1, en: run }] }', /state 1 is listed twice/],
    ['with a state that is not an integer', '{ key: mode, kind: multistate, states: [{ value: 0.5, en: half }, { value: 1, en: "on" }] }', /value: Expected integer/],
    ['with a state without its label', '{ key: mode, kind: multistate, states: [{ value: 0 }, { value: 1, en: "on" }] }', /en: Required/],
    ['states on a gauge', '{ key: kW, kind: gauge, states: [{ value: 0, en: "off" }, { value: 1, en: "on" }] }', /only a multistate point has states/],
  ])('refuses a point %s', (_, point, message) => {
    expect(() => loadRegistryFile(site(point))).toThrow(message);
  });
});

describe('point units', () => {
  const site = (unit: string) =>
    writeTemp(
      `version: 1\nsites:\n  - key: hall\n    name: Hall\n    assets:\n      - key: meter\n        name: Meter\n        type: electricity-meter\n        points:\n          - { key: p, kind: gauge, unit: "${unit}" }\n`,
    );

  it.each(['kWh', 'Wh', 'kW', '°C', '°F', 'm³', 'm³/h', 'ppm', '%RH', 'kW/RT', ''])('accepts %j', (unit) => {
    expect(loadRegistryFile(site(unit)).sites[0].assets[0].points[0].unit).toBe(unit);
  });

  it.each(['kwh', 'furlongs', 'deg'])('refuses the unknown unit %j, naming it', (unit) => {
    expect(() => loadRegistryFile(site(unit))).toThrow(`sites.0.assets.0.points.0.unit: unknown unit "${unit}"`);
  });
});
