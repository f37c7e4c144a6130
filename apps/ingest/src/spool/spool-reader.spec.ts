import fc from 'fast-check';
import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool } from './disk-spool';
import { SpoolReader } from './spool-reader';

const folder = () => mkdtempSync(join(tmpdir(), 'spool-reader-'));

type Step = { append: string } | { read: number } | { release: true };

describe('SpoolReader', () => {
  it('reads every record appended after its start exactly once, in order, whatever the reads, rotations and releases', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(
          fc.oneof(
            fc.record({ append: fc.string({ unit: 'grapheme', maxLength: 120 }) }),
            fc.record({ read: fc.integer({ min: 1, max: 7 }) }),
            fc.constant({ release: true as const }),
          ),
          { maxLength: 80 },
        ),
        fc.integer({ min: 60, max: 400 }),
        // Small chunks split records (and a segment's header) across reads.
        fc.integer({ min: 1, max: 300 }),
        (before, steps: Step[], segmentBytes, chunkBytes) => {
          const spool = new DiskSpool<string>(folder(), 1e9, segmentBytes);
          spool.open();
          for (let i = 0; i < before; i++) spool.append(`before ${i}`);
          const reader = new SpoolReader(spool, spool.lastSeq, chunkBytes);
          const appended: Array<[number, string]> = [];
          const read: Array<[number, string]> = [];
          for (const step of steps) {
            if ('append' in step) appended.push([spool.append(step.append), step.append]);
            else if ('read' in step) {
              const records = reader.read(step.read);
              expect(records.length).toBeLessThanOrEqual(step.read);
              for (const record of records) read.push([record.seq, record.body]);
            } else spool.release(read.at(-1)?.[0] ?? before);
          }
          for (let records = reader.read(3); records.length > 0; records = reader.read(3))
            for (const record of records) read.push([record.seq, record.body]);
          expect(read).toEqual(appended);
          reader.close();
          spool.close();
        },
      ),
    );
  });

  it('starts after a given seq in a spool a previous run left, across its segments', () => {
    const dir = folder();
    const first = new DiskSpool<{ n: number }>(dir, 1e9, 100);
    first.open();
    for (let n = 1; n <= 30; n++) first.append({ n });
    first.close();
    expect(readdirSync(dir).filter((file) => file.endsWith('.spool')).length).toBeGreaterThan(3);

    const second = new DiskSpool<{ n: number }>(dir, 1e9, 100);
    second.open();
    const reader = new SpoolReader(second, 17);
    second.append({ n: 31 });
    expect(reader.read(100).map((record) => record.body.n)).toEqual([18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);
    expect(reader.read(100)).toEqual([]);
  });

  it('stops at a torn record instead of reading past it', () => {
    const dir = folder();
    const spool = new DiskSpool<string>(dir, 1e9, 1e6);
    spool.open();
    spool.append('whole');
    const reader = new SpoolReader(spool, 0);
    const [segment] = spool.segmentFiles;
    // A record header claiming 1,000 bytes of which 3 arrived.
    appendFileSync(segment.path, Buffer.from([0xe8, 0x03, 0, 0, 0, 0, 0, 0, 0x7b, 0x22, 0x61]));
    expect(reader.read(10).map((record) => record.body)).toEqual(['whole']);
    expect(reader.read(10)).toEqual([]);
  });
});
