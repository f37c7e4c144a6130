import fc from 'fast-check';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool } from './disk-spool';
import { encodeRecord } from './spool-record';
import { SpoolReader } from './spool-reader';

const folder = () => mkdtempSync(join(tmpdir(), 'spool-'));
const segments = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.spool'));

describe('DiskSpool', () => {
  it('gives back what a previous run appended, with increasing sequence numbers across runs', () => {
    const dir = folder();
    const first = new DiskSpool<{ n: number }>(dir, 1e6, 200);
    expect(first.open()).toEqual([]);
    expect([1, 2, 3, 4, 5].map((n) => first.append({ n }))).toEqual([1, 2, 3, 4, 5]);
    first.close();

    const second = new DiskSpool<{ n: number }>(dir, 1e6, 200);
    expect(second.open().map((record) => [record.seq, record.body.n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    expect(second.append({ n: 6 })).toBe(6);
  });

  it('rotates segments and deletes the committed ones, keeping the one being written', () => {
    const dir = folder();
    const spool = new DiskSpool<string>(dir, 1e6, 100);
    spool.open();
    for (let i = 0; i < 20; i++) spool.append('x'.repeat(30));
    const before = segments(dir).length;
    expect(before).toBeGreaterThan(3);
    spool.release(10);
    const after = new DiskSpool<string>(dir, 1e6, 100).open().map((record) => record.seq);
    expect(after[0]).toBeLessThanOrEqual(11);
    expect(after.at(-1)).toBe(20);
    expect(segments(dir).length).toBeLessThan(before);
    spool.release(20);
    expect(segments(dir)).toHaveLength(1);
  });

  it('reports full past its bound', () => {
    const spool = new DiskSpool<string>(folder(), 200, 1000);
    spool.open();
    while (!spool.full) spool.append('y'.repeat(50));
    expect(spool.bytes).toBeGreaterThanOrEqual(200);
  });

  it('cuts a torn tail left by a crash in the middle of an append', () => {
    const dir = folder();
    const spool = new DiskSpool<number>(dir, 1e6, 1e6);
    spool.open();
    spool.append(1);
    spool.append(2);
    spool.close();
    appendFileSync(join(dir, segments(dir)[0]), Buffer.from([9, 0, 0, 0, 1, 2]));
    const reopened = new DiskSpool<number>(dir, 1e6, 1e6);
    expect(reopened.open().map((record) => record.body)).toEqual([1, 2]);
    expect(reopened.append(3)).toBe(3);
    reopened.close();
    expect(new DiskSpool<number>(dir, 1e6, 1e6).open().map((record) => record.body)).toEqual([1, 2, 3]);
  });

  it("gives a new folder a new epoch, and keeps a folder's epoch across runs", () => {
    const dir = folder();
    const first = new DiskSpool<string>(dir, 1e6, 100);
    first.open();
    first.append('a');
    first.close();
    const second = new DiskSpool<string>(dir, 1e6, 100);
    second.open();
    expect(second.epoch).toBe(first.epoch);
    expect(second.epoch).toMatch(/^[0-9a-f-]{36}$/);
    const elsewhere = new DiskSpool<string>(folder(), 1e6, 100);
    elsewhere.open();
    expect(elsewhere.epoch).not.toBe(first.epoch);
  });

  it('reads a folder written before epochs and headers (format 1) with the legacy epoch', () => {
    const dir = folder();
    writeFileSync(
      join(dir, '0000000000000001.spool'),
      Buffer.concat([encodeRecord({ seq: 1, body: 'old' }), encodeRecord({ seq: 2, body: 'older' })]),
    );
    const spool = new DiskSpool<string>(dir, 1e6, 100);
    expect(spool.open()).toEqual([
      { seq: 1, body: 'old' },
      { seq: 2, body: 'older' },
    ]);
    expect(spool.epoch).toBe('');
    expect(readFileSync(join(dir, 'epoch'), 'utf8')).toBe('');
    expect(spool.append('new')).toBe(3);
  });

  it('opened without reading, ends where reading would: the same segments, torn tail cut, next seq, and records for a reader', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constant(null)), { maxLength: 60 }),
        fc.integer({ min: 40, max: 400 }),
        fc.uint8Array({ maxLength: 12 }),
        (steps, segmentBytes, tornTail) => {
          const dir = folder();
          const spool = new DiskSpool<string>(dir, 1e9, segmentBytes);
          spool.open();
          for (const step of steps) {
            // null: everything appended so far was stored, its segments may go.
            if (step === null) spool.release(spool.lastSeq);
            else spool.append(step);
          }
          spool.close();
          const last = segments(dir).sort().at(-1);
          if (last) appendFileSync(join(dir, last), tornTail);
          const copy = folder();
          cpSync(dir, copy, { recursive: true });

          const reading = new DiskSpool<string>(dir, 1e9, segmentBytes);
          const records = reading.open();
          const scanning = new DiskSpool<string>(copy, 1e9, segmentBytes);
          expect(scanning.open({ read: false })).toEqual([]);
          expect(scanning.lastSeq).toBe(reading.lastSeq);
          expect(segments(copy).sort()).toEqual(segments(dir).sort());
          for (const name of segments(dir)) expect(readFileSync(join(copy, name))).toEqual(readFileSync(join(dir, name)));
          const reader = new SpoolReader(scanning, (records[0]?.seq ?? 1) - 1);
          expect(reader.read(1_000)).toEqual(records);
          reader.close();
          expect(scanning.append('next')).toBe(reading.append('next'));
          reading.close();
          scanning.close();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('puts a record larger than a segment in a segment of its own, once', () => {
    const dir = folder();
    const spool = new DiskSpool<string>(dir, 1e6, 50);
    spool.open();
    expect([spool.append('x'.repeat(200)), spool.append('y'.repeat(200))]).toEqual([1, 2]);
    spool.close();
    expect(new DiskSpool<string>(dir, 1e6, 50).open().map((record) => record.body.length)).toEqual([200, 200]);
  });
});
