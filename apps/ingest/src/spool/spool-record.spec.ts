import { decodeRecords, encodeRecord } from './spool-record';

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
});
