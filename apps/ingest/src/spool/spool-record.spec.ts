import { decodeRecords, encodeRecord, SEGMENT_HEADER_BYTES, segmentHeader, SpoolFormatError } from './spool-record';

describe('spool records', () => {
  const records = [{ seq: 1, text: '冰水主機' }, { seq: 2, values: [1.5, 2] }, { seq: 3 }];
  const segment = Buffer.concat(records.map(encodeRecord));

  it('round-trips in order', () => {
    expect(decodeRecords(segment)).toEqual({ records, validBytes: segment.length });
  });

  it('stops at a torn tail and at a corrupted record', () => {
    const torn = segment.subarray(0, segment.length - 3);
    expect(decodeRecords(torn).records).toEqual(records.slice(0, 2));
    const corrupted = Buffer.from(segment);
    corrupted[encodeRecord(records[0]).length + 10] ^= 0xff;
    expect(decodeRecords(corrupted).records).toEqual(records.slice(0, 1));
  });

  it('reads a segment of this format after its header, and one of format 1 (no header) from its start', () => {
    const current = Buffer.concat([segmentHeader(), segment]);
    expect(current.subarray(0, SEGMENT_HEADER_BYTES).toString('latin1')).toBe('HWSPOOL\x02');
    expect(decodeRecords(current)).toEqual({ records, validBytes: current.length });
    expect(decodeRecords(segment).records).toEqual(records);
  });

  it('refuses a segment of a format it does not know, rather than reading garbage or discarding it', () => {
    const future = Buffer.concat([Buffer.from('HWSPOOL', 'ascii'), Buffer.from([3]), segment]);
    expect(() => decodeRecords(future, '0000000000000001.spool')).toThrow(SpoolFormatError);
    expect(() => decodeRecords(future, '0000000000000001.spool')).toThrow('0000000000000001.spool is in format 3');
  });

  it('takes a segment torn inside its header for an empty one', () => {
    expect(decodeRecords(segmentHeader().subarray(0, 5))).toEqual({ records: [], validBytes: 0 });
    expect(decodeRecords(segmentHeader())).toEqual({ records: [], validBytes: SEGMENT_HEADER_BYTES });
  });
});
