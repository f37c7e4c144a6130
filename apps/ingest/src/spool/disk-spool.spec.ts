import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool } from './disk-spool';

const folder = () => mkdtempSync(join(tmpdir(), 'spool-'));

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
    const before = readdirSync(dir).length;
    expect(before).toBeGreaterThan(3);
    spool.release(10);
    const after = new DiskSpool<string>(dir, 1e6, 100).open().map((record) => record.seq);
    expect(after[0]).toBeLessThanOrEqual(11);
    expect(after.at(-1)).toBe(20);
    expect(readdirSync(dir).length).toBeLessThan(before);
    spool.release(20);
    expect(readdirSync(dir)).toHaveLength(1);
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
    appendFileSync(join(dir, readdirSync(dir)[0]), Buffer.from([9, 0, 0, 0, 1, 2]));
    const reopened = new DiskSpool<number>(dir, 1e6, 1e6);
    expect(reopened.open().map((record) => record.body)).toEqual([1, 2]);
    expect(reopened.append(3)).toBe(3);
    reopened.close();
    expect(new DiskSpool<number>(dir, 1e6, 1e6).open().map((record) => record.body)).toEqual([1, 2, 3]);
  });
});
