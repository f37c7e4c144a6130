import Long from 'long';
import { Rejection } from '../parse-result';

/**
 * The fields of a Sparkplug B payload Hallwatch reads, straight from the protobuf wire format, in
 * one loop and without recursion. Not sparkplug-payload's `decodePayload`: it converts templates by
 * calling itself twice per level, so 30 nested templates (a frame of a few hundred bytes) took
 * hours, and protobufjs decodes nested messages by recursion, which a deep enough frame overflows.
 * Nested messages (templates, data sets, metadata) are skipped unread: no reading comes from them,
 * and their metric is refused by its type. Of a metric's property set only the `Quality` property is
 * read, one level deep (nested property sets are skipped).
 */
export interface WireMetric {
  name?: string;
  alias?: Long;
  timestamp?: Long;
  /** the Sparkplug data type's name, undefined for an unknown number */
  type?: string;
  /** for the scalar types; null for the others */
  value: number | Long | boolean | string | Uint8Array | null;
  isNull: boolean;
  /** The `Quality` property (an integer, OPC-style codes: 192 good, 64 uncertain, 0 bad), when the metric carries one. */
  quality?: number;
}

export interface WirePayload {
  timestamp?: Long;
  seq?: Long;
  metrics: WireMetric[];
}

export interface WireLimits {
  maxMetrics: number;
  /** Groups (a deprecated protobuf encoding, skipped) inside one another. */
  maxGroupDepth: number;
}

/** Sparkplug B data types by their number in the schema; 0 is Unknown. */
const TYPE_NAMES: ReadonlyArray<string | undefined> = [
  undefined,
  'Int8',
  'Int16',
  'Int32',
  'Int64',
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Float',
  'Double',
  'Boolean',
  'String',
  'DateTime',
  'Text',
  'UUID',
  'DataSet',
  'Bytes',
  'File',
  'Template',
  'PropertySet',
  'PropertySetList',
];

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

class WireError extends Error {
  constructor(
    message: string,
    readonly reason: Rejection['reason'] = 'bad-protobuf',
  ) {
    super(message);
  }
}

export function decodeSparkplugPayload(bytes: Buffer, limits: WireLimits): { payload: WirePayload } | Rejection {
  try {
    return { payload: readPayload(new WireReader(bytes, 0, bytes.length, limits.maxGroupDepth), limits) };
  } catch (error) {
    if (error instanceof WireError) return { reason: error.reason, detail: error.message };
    throw error;
  }
}

function readPayload(reader: WireReader, limits: WireLimits): WirePayload {
  const payload: WirePayload = { metrics: [] };
  while (!reader.done) {
    const { field, wire } = reader.tag();
    if (field === 1) payload.timestamp = reader.varint(wire, 'Payload.timestamp');
    else if (field === 3) payload.seq = reader.varint(wire, 'Payload.seq');
    else if (field === 2) {
      if (payload.metrics.length === limits.maxMetrics) throw new WireError(`more than ${limits.maxMetrics} metrics`, 'payload-too-large');
      payload.metrics.push(readMetric(reader.message(wire, 'Payload.metrics')));
    } else reader.skip(wire);
  }
  return payload;
}

function readMetric(reader: WireReader): WireMetric {
  let name: string | undefined;
  let alias: Long | undefined;
  let timestamp: Long | undefined;
  let datatype = 0;
  let isNull = false;
  let intValue = 0;
  let longValue = Long.UZERO;
  let floatValue = 0;
  let doubleValue = 0;
  let booleanValue = false;
  let stringValue = '';
  let bytesValue: Uint8Array = new Uint8Array(0);
  let quality: number | undefined;
  while (!reader.done) {
    const { field, wire } = reader.tag();
    switch (field) {
      case 1:
        name = reader.string(wire, 'Metric.name');
        break;
      case 2:
        alias = reader.varint(wire, 'Metric.alias');
        break;
      case 3:
        timestamp = reader.varint(wire, 'Metric.timestamp');
        break;
      case 4:
        datatype = reader.varint(wire, 'Metric.datatype').low >>> 0;
        break;
      case 7:
        isNull = !reader.varint(wire, 'Metric.is_null').isZero();
        break;
      case 10:
        intValue = reader.varint(wire, 'Metric.int_value').low >>> 0;
        break;
      case 11:
        longValue = reader.varint(wire, 'Metric.long_value');
        break;
      case 12:
        floatValue = reader.float(wire, 'Metric.float_value');
        break;
      case 13:
        doubleValue = reader.double(wire, 'Metric.double_value');
        break;
      case 14:
        booleanValue = !reader.varint(wire, 'Metric.boolean_value').isZero();
        break;
      case 15:
        stringValue = reader.string(wire, 'Metric.string_value');
        break;
      case 9:
        quality = readQualityProperty(reader.message(wire, 'Metric.properties'));
        break;
      case 16:
        bytesValue = reader.bytes(wire, 'Metric.bytes_value');
        break;
      default:
        // metadata, data set, template, extension, historical and transient flags
        reader.skip(wire);
    }
  }
  // As sparkplug-payload's getValue reads them (Int64 and UInt32 are narrowed by the decoder).
  const type = TYPE_NAMES[datatype];
  let value: WireMetric['value'] = null;
  if (type === 'Int8' || type === 'Int16' || type === 'Int32') value = intValue | 0;
  else if (type === 'UInt8' || type === 'UInt16') value = intValue;
  else if (type === 'Int64' || type === 'UInt32' || type === 'UInt64' || type === 'DateTime') value = longValue;
  else if (type === 'Float') value = floatValue;
  else if (type === 'Double') value = doubleValue;
  else if (type === 'Boolean') value = booleanValue;
  else if (type === 'String' || type === 'Text' || type === 'UUID') value = stringValue;
  else if (type === 'Bytes' || type === 'File') value = bytesValue;
  return { name, alias, timestamp, type, value: isNull ? null : value, isNull, ...(quality === undefined ? {} : { quality }) };
}

/**
 * The integer value of the `Quality` key of a PropertySet { keys (1): string, values (2): PropertyValue },
 * keys and values paired by position; undefined when there is none or it is not an integer.
 */
function readQualityProperty(reader: WireReader): number | undefined {
  const keys: string[] = [];
  const values: Array<number | undefined> = [];
  while (!reader.done) {
    const { field, wire } = reader.tag();
    if (field === 1) keys.push(reader.string(wire, 'PropertySet.keys'));
    else if (field === 2) values.push(readIntegerProperty(reader.message(wire, 'PropertySet.values')));
    else reader.skip(wire);
  }
  const index = keys.indexOf('Quality');
  return index === -1 ? undefined : values[index];
}

/** A PropertyValue's int_value (3) or long_value (4); undefined for null and every other type. */
function readIntegerProperty(reader: WireReader): number | undefined {
  let value: number | undefined;
  let isNull = false;
  while (!reader.done) {
    const { field, wire } = reader.tag();
    if (field === 2) isNull = !reader.varint(wire, 'PropertyValue.is_null').isZero();
    else if (field === 3) value = reader.varint(wire, 'PropertyValue.int_value').low | 0;
    else if (field === 4) value = reader.varint(wire, 'PropertyValue.long_value').toNumber();
    else reader.skip(wire);
  }
  return isNull ? undefined : value;
}

/** A bounded view of the bytes; every read checks the bound and throws a WireError past it. */
class WireReader {
  constructor(
    private readonly buffer: Buffer,
    private pos: number,
    private readonly end: number,
    private readonly maxGroupDepth: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  tag(): { field: number; wire: number } {
    const tag = this.rawVarint().low >>> 0;
    return { field: tag >>> 3, wire: tag & 7 };
  }

  varint(wire: number, field: string): Long {
    this.expect(wire, VARINT, field);
    return this.rawVarint();
  }

  float(wire: number, field: string): number {
    this.expect(wire, FIXED32, field);
    return this.buffer.readFloatLE(this.advance(4));
  }

  double(wire: number, field: string): number {
    this.expect(wire, FIXED64, field);
    return this.buffer.readDoubleLE(this.advance(8));
  }

  bytes(wire: number, field: string): Buffer {
    this.expect(wire, BYTES, field);
    const length = this.rawVarint().low >>> 0;
    const start = this.advance(length);
    return this.buffer.subarray(start, start + length);
  }

  string(wire: number, field: string): string {
    return this.bytes(wire, field).toString('utf8');
  }

  /** A reader of an embedded message's bytes. */
  message(wire: number, field: string): WireReader {
    this.expect(wire, BYTES, field);
    const length = this.rawVarint().low >>> 0;
    const start = this.advance(length);
    return new WireReader(this.buffer, start, start + length, this.maxGroupDepth);
  }

  /** Passes over a field this reader does not read; a group with all it holds, counted, not recursed. */
  skip(wire: number): void {
    if (wire !== START_GROUP) return this.skipOne(wire);
    for (let depth = 1; depth > 0;) {
      const { wire: inner } = this.tag();
      if (inner === START_GROUP) {
        if (++depth > this.maxGroupDepth)
          throw new WireError(`protobuf groups nested deeper than ${this.maxGroupDepth} levels`, 'too-deep');
      } else if (inner === END_GROUP) depth--;
      else this.skipOne(inner);
    }
  }

  private skipOne(wire: number): void {
    if (wire === VARINT) this.rawVarint();
    else if (wire === FIXED64) this.advance(8);
    else if (wire === FIXED32) this.advance(4);
    else if (wire === BYTES) this.advance(this.rawVarint().low >>> 0);
    else throw new WireError(`invalid wire type ${wire} at offset ${this.pos}`);
  }

  private expect(wire: number, expected: number, field: string): void {
    if (wire !== expected) throw new WireError(`${field}: wire type ${wire}, expected ${expected}, at offset ${this.pos}`);
  }

  /** Moves past `length` bytes, returning where they start. */
  private advance(length: number): number {
    if (length > this.end - this.pos) throw new WireError(`index out of range: ${this.pos} + ${length} > ${this.end}`);
    const start = this.pos;
    this.pos += length;
    return start;
  }

  /** Up to 10 bytes, 7 bits each, least significant first: an unsigned 64-bit Long. */
  private rawVarint(): Long {
    let low = 0;
    let high = 0;
    for (let i = 0; i < 10; i++) {
      const byte = this.buffer[this.advance(1)];
      const bits = byte & 0x7f;
      if (i < 4) low |= bits << (7 * i);
      else if (i === 4) {
        low |= (bits & 0x0f) << 28;
        high |= bits >>> 4;
      } else high |= bits << (7 * (i - 5) + 3);
      if (byte < 0x80) return Long.fromBits(low, high, true);
    }
    throw new WireError(`varint longer than 10 bytes at offset ${this.pos}`);
  }
}
