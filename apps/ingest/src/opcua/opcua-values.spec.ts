import { DataType, DataValue, StatusCode, StatusCodes, VariantArrayType } from 'node-opcua-client';
import { ReadingFlags } from '@hallwatch/domain';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';
import { toValue } from './opcua-endpoint.connection';
import { opcuaReadings } from './opcua-values';

const endpoint = {
  key: 'plc',
  url: 'opc.tcp://plc:4840',
  mappings: [{ nodeId: 'ns=1;s=Meter.Wh', asset: 'meter', point: 'Wh' }],
} as OpcuaEndpointDefinition;
const ts = new Date('2026-01-01T00:00:00Z');
const change = (dataType: DataType, value: unknown) =>
  toValue(
    0,
    new DataValue({ value: { dataType, arrayType: VariantArrayType.Scalar, value }, sourceTimestamp: ts, statusCode: StatusCodes.Good }),
  );
const read = (dataType: DataType, value: unknown) =>
  opcuaReadings('site', endpoint, [change(dataType, value)], ts.getTime(), { maxFutureMs: 60_000, maxAgeMs: 86_400_000 });

describe('64-bit integers from OPC UA', () => {
  it.each([
    ['UInt64', [0, 1234], 1234],
    ['UInt64', [1, 0], 2 ** 32],
    ['Int64', [0xffffffff, 0xffffffff], -1],
    ['Int64', [0x001fffff, 0xffffffff], Number.MAX_SAFE_INTEGER],
  ] as const)('stores %s %p exactly as %p', (dataType, words, number) => {
    expect(read(DataType[dataType], words)).toEqual({
      readings: [{ site: 'site', asset: 'meter', point: 'Wh', ts: ts.getTime(), value: number, flags: ReadingFlags.none }],
      rejections: [],
      delivered: [0],
    });
  });

  it('stores one past 2^53 as the nearest number, flagged inexact', () => {
    const { readings } = read(DataType.UInt64, [0x00200000, 1]);
    expect(readings).toEqual([expect.objectContaining({ value: 2 ** 53, flags: ReadingFlags.inexact })]);
  });

  it('leaves other arrays alone: still not a number', () => {
    const values = [{ mapping: 0, value: [1, 2], ts: ts.getTime(), quality: 'good' as const, status: 'Good' }];
    expect(opcuaReadings('site', endpoint, values, ts.getTime(), { maxFutureMs: 60_000, maxAgeMs: 86_400_000 }).rejections).toEqual([
      expect.objectContaining({ reason: 'bad-value', mapping: 0 }),
    ]);
  });
});

describe('quality from OPC UA status codes', () => {
  const withStatus = (statusCode: StatusCode) =>
    opcuaReadings(
      'site',
      endpoint,
      [toValue(0, new DataValue({ value: { dataType: DataType.Double, arrayType: VariantArrayType.Scalar, value: 42.5 }, sourceTimestamp: ts, statusCode }))],
      ts.getTime(),
      { maxFutureMs: 60_000, maxAgeMs: 86_400_000 },
    );

  it('stores a Good value as it is', () => {
    expect(withStatus(StatusCodes.Good).readings).toEqual([expect.objectContaining({ value: 42.5, flags: ReadingFlags.none })]);
  });

  it.each(['UncertainLastUsableValue', 'UncertainSensorNotAccurate', 'UncertainEngineeringUnitsExceeded'] as const)(
    'stores an %s value, flagged uncertain, not dropped',
    (status) => {
      const result = withStatus(StatusCodes[status]);
      expect(result.readings).toEqual([expect.objectContaining({ value: 42.5, flags: ReadingFlags.uncertain })]);
      expect(result.rejections).toEqual([]);
    },
  );

  it.each(['BadSensorFailure', 'BadCommunicationError', 'BadOutOfService'] as const)('refuses a %s value, counted with its status', (status) => {
    const result = withStatus(StatusCodes[status]);
    expect(result.readings).toEqual([]);
    expect(result.rejections).toEqual([expect.objectContaining({ reason: 'bad-value', detail: expect.stringContaining(status) })]);
  });
});
