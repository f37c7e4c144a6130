import { FrameCoalescer } from './frame-coalescer';

/** A scheduler the test runs by hand: one "frame" per call to runFrame(). */
function manualFrames() {
  let queued: Array<() => void> = [];
  return {
    schedule: (run: () => void) => queued.push(run),
    runFrame: () => {
      const due = queued;
      queued = [];
      due.forEach((run) => run());
    },
    get pending() {
      return queued.length;
    },
  };
}

describe('FrameCoalescer', () => {
  it('hands over everything pushed during a frame in one call', () => {
    const frames = manualFrames();
    const flushed: number[][] = [];
    const coalescer = new FrameCoalescer<number>((items) => flushed.push(items), frames.schedule);
    // 200 points a second, arriving in 40 small messages before the next frame.
    for (let i = 0; i < 40; i++) coalescer.push([i * 5, i * 5 + 1, i * 5 + 2, i * 5 + 3, i * 5 + 4]);
    expect(frames.pending).toBe(1);
    frames.runFrame();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('schedules nothing while idle, and again after a flush', () => {
    const frames = manualFrames();
    const flush = jest.fn();
    const coalescer = new FrameCoalescer<string>(flush, frames.schedule);
    coalescer.push([]);
    expect(frames.pending).toBe(0);
    coalescer.push(['a']);
    frames.runFrame();
    coalescer.push(['b']);
    frames.runFrame();
    expect(flush.mock.calls).toEqual([[['a']], [['b']]]);
  });

  it('flushes an empty batch when only touched', () => {
    const frames = manualFrames();
    const flush = jest.fn();
    const coalescer = new FrameCoalescer<string>(flush, frames.schedule);
    coalescer.touch();
    coalescer.touch();
    frames.runFrame();
    expect(flush.mock.calls).toEqual([[[]]]);
  });

  it('drops everything once closed', () => {
    const frames = manualFrames();
    const flush = jest.fn();
    const coalescer = new FrameCoalescer<string>(flush, frames.schedule);
    coalescer.push(['a']);
    coalescer.close();
    frames.runFrame();
    coalescer.push(['b']);
    expect(flush).not.toHaveBeenCalled();
    expect(frames.pending).toBe(0);
  });
});
