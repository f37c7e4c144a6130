import { EventLoopLag } from './event-loop-lag';

const busyFor = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

describe('EventLoopLag', () => {
  it('finds the loop late after it was held longer than the bound, and on time again after it is free', async () => {
    const lag = new EventLoopLag(40);
    lag.start();
    try {
      await lag.nextProbe();
      busyFor(150);
      // The probe due during the hold runs within the next turns of the loop, 140 ms or more late.
      let seenLate = false;
      for (let turns = 0; turns < 5 && !seenLate; turns++) {
        await new Promise((resolve) => setImmediate(resolve));
        seenLate = lag.late;
      }
      expect(seenLate).toBe(true);
      // Free from here on: within a few probes it is on time (polled, not slept for a fixed time).
      for (let probes = 0; lag.late && probes < 500; probes++) await lag.nextProbe();
      expect(lag.late).toBe(false);
    } finally {
      lag.stop();
    }
  });

  it('is not late while nothing holds the loop', async () => {
    const lag = new EventLoopLag(10_000);
    lag.start();
    try {
      for (let probes = 0; probes < 5; probes++) await lag.nextProbe();
      expect(lag.late).toBe(false);
    } finally {
      lag.stop();
    }
  });
});
