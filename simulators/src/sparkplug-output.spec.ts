import Long from 'long';
import { decodePayload, encodePayload, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { SiteDefinition } from '@hallwatch/registry';
import { AssetValues } from './building.model';
import { nextSeq, REBIRTH_ALIAS, REBIRTH_METRIC, SparkplugMessage, sparkplugMetrics, SparkplugSession } from './sparkplug-output';

const point = (key: string, kind: 'gauge' | 'status' | 'cumulative', expression?: string) => ({
  key,
  kind,
  unit: '',
  tags: [],
  attributes: {},
  ...(expression ? { expression } : {}),
});

const site: SiteDefinition = {
  key: 'hall',
  name: 'Hall',
  timezone: 'Asia/Taipei',
  attributes: {},
  opcua: [],
  assets: [
    {
      key: 'meter',
      name: 'Meter',
      type: 'electricity-meter',
      tags: [],
      attributes: {},
      points: [point('kW', 'gauge'), point('kWh', 'cumulative'), point('net', 'gauge', 'kW - 1')],
    },
    {
      key: 'chiller-1',
      name: 'Chiller',
      type: 'chiller',
      tags: [],
      attributes: {},
      points: [point('kW', 'gauge'), point('running', 'status'), point('loop.flow', 'gauge')],
    },
  ],
};

const values = (kW: number): Map<string, AssetValues> =>
  new Map<string, AssetValues>([
    ['meter', { kW, kWh: 1000 + kW }],
    ['chiller-1', { kW: kW / 2, running: 1, 'loop.flow': 12.5 }],
  ]);

const decode = (message: SparkplugMessage): UPayload => decodePayload(message.payload);
const num = (value: unknown): number => (Long.isLong(value) ? value.toNumber() : Number(value));

describe('sparkplugMetrics', () => {
  it('gives aliases unique across the node, after the rebirth control, and skips derived points', () => {
    const metrics = sparkplugMetrics(site);
    expect(metrics.get('meter')).toEqual([
      { point: 'kW', name: 'kW', alias: 1, type: 'Double' },
      { point: 'kWh', name: 'kWh', alias: 2, type: 'Double' },
    ]);
    expect(metrics.get('chiller-1')).toEqual([
      { point: 'kW', name: 'kW', alias: 3, type: 'Double' },
      { point: 'running', name: 'running', alias: 4, type: 'Boolean' },
      { point: 'loop.flow', name: 'loop/flow', alias: 5, type: 'Double' },
    ]);
    expect(REBIRTH_ALIAS).toBe(0);
  });
});

describe('nextSeq', () => {
  it.each([
    [0, 1],
    [254, 255],
    [255, 0],
  ])('%i -> %i', (seq, next) => expect(nextSeq(seq)).toBe(next));
});

describe('SparkplugSession', () => {
  it('births on the first tick: NBIRTH with bdSeq and seq 0, a DBIRTH per device naming every metric with its alias and value', () => {
    const session = new SparkplugSession(site, { bdSeq: 7 });
    const messages = session.tick(1_000, values(100));
    expect(messages.map((message) => message.topic)).toEqual([
      'spBv1.0/hall/NBIRTH/sim-hall',
      'spBv1.0/hall/DBIRTH/sim-hall/meter',
      'spBv1.0/hall/DBIRTH/sim-hall/chiller-1',
    ]);
    const nbirth = decode(messages[0]);
    expect(num(nbirth.seq)).toBe(0);
    expect(num(nbirth.metrics!.find((metric) => metric.name === 'bdSeq')!.value)).toBe(7);
    expect(nbirth.metrics!.find((metric) => metric.name === REBIRTH_METRIC)).toMatchObject({ type: 'Boolean', value: false });
    const chiller = decode(messages[2]);
    expect(num(chiller.seq)).toBe(2);
    expect(num(chiller.timestamp)).toBe(1_000);
    expect(chiller.metrics!.map((metric): unknown[] => [metric.name, num(metric.alias), metric.type, metric.value])).toEqual([
      ['kW', 3, 'Double', 50],
      ['running', 4, 'Boolean', true],
      ['loop/flow', 5, 'Double', 12.5],
    ]);
  });

  it('sends DDATA with aliases only and the next sequence numbers, wrapping after 255', () => {
    const session = new SparkplugSession(site);
    session.tick(0, values(1));
    const seqs: number[] = [];
    for (let i = 1; i <= 130; i++) {
      const messages = session.tick(i * 1000, values(i));
      expect(messages.map((message) => message.topic)).toEqual([
        'spBv1.0/hall/DDATA/sim-hall/meter',
        'spBv1.0/hall/DDATA/sim-hall/chiller-1',
      ]);
      for (const message of messages) {
        const payload = decode(message);
        seqs.push(num(payload.seq));
        for (const metric of payload.metrics!) {
          expect(metric.name).toBeUndefined();
          expect(num(metric.alias)).toBeGreaterThan(0);
        }
      }
    }
    expect(seqs.slice(0, 3)).toEqual([3, 4, 5]);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(nextSeq(seqs[i - 1]));
    expect(seqs).toContain(0);
  });

  it('leaves out an asset with nothing to say, and remembers the last values for births (null before any)', () => {
    const session = new SparkplugSession(site);
    session.tick(
      0,
      new Map<string, AssetValues>([
        ['meter', { kW: 5, kWh: 10 }],
        ['chiller-1', {}],
      ]),
    );
    const data = session.tick(
      1000,
      new Map<string, AssetValues>([
        ['meter', {}],
        ['chiller-1', { kW: 3, running: 0, 'loop.flow': 0 }],
      ]),
    );
    expect(data.map((message) => message.topic)).toEqual(['spBv1.0/hall/DDATA/sim-hall/chiller-1']);
    expect(decode(data[0]).metrics!.find((metric) => num(metric.alias) === 4)!.value).toBe(false);
    const rebirth = session.command(
      Buffer.from(encodePayload({ timestamp: 5, metrics: [{ name: REBIRTH_METRIC, type: 'Boolean', value: true }] })),
    );
    const meter = decode(rebirth.find((message) => message.topic.endsWith('DBIRTH/sim-hall/meter'))!);
    expect(meter.metrics!.map((metric): unknown => metric.value)).toEqual([5, 10]);
    const fresh = new SparkplugSession(site);
    const births = fresh.tick(
      0,
      new Map<string, AssetValues>([
        ['meter', { kW: 5, kWh: 10 }],
        ['chiller-1', {}],
      ]),
    );
    expect(decode(births[2]).metrics!.every((metric) => metric.value === null)).toBe(true);
  });

  it('answers a rebirth command (by name or alias) with births that restart the sequence; ignores anything else', () => {
    const session = new SparkplugSession(site);
    expect(session.command(Buffer.from(encodePayload({ metrics: [{ name: REBIRTH_METRIC, type: 'Boolean', value: true }] })))).toEqual([]);
    session.tick(0, values(1));
    session.tick(1000, values(2));
    const byAlias = session.command(Buffer.from(encodePayload({ metrics: [{ alias: REBIRTH_ALIAS, type: 'Boolean', value: true }] })));
    expect(byAlias.map((message) => message.topic.split('/')[2])).toEqual(['NBIRTH', 'DBIRTH', 'DBIRTH']);
    expect(byAlias.map((message) => num(decode(message).seq))).toEqual([0, 1, 2]);
    expect(num(decode(session.tick(2000, values(3))[0]).seq)).toBe(3);
    expect(session.command(Buffer.from(encodePayload({ metrics: [{ name: REBIRTH_METRIC, type: 'Boolean', value: false }] })))).toEqual([]);
    expect(session.command(Buffer.from('not protobuf at all'))).toEqual([]);
  });

  it('a new MQTT session takes the next bdSeq for its will and owes births', () => {
    const session = new SparkplugSession(site, { group: 'test-group', nodeId: 'edge', bdSeq: 255 });
    expect(session.death(1).topic).toBe('spBv1.0/test-group/NDEATH/edge');
    expect(num(decode(session.death(1)).metrics![0].value)).toBe(255);
    session.tick(0, values(1));
    const will = session.newSession();
    expect(num(decode(will).metrics![0].value)).toBe(0);
    const births = session.tick(1000, values(2));
    expect(births[0].topic).toBe('spBv1.0/test-group/NBIRTH/edge');
    expect(num(decode(births[0]).metrics!.find((metric) => metric.name === 'bdSeq')!.value)).toBe(0);
  });
});
