import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';
import { RegistryRepository } from '@hallwatch/registry';
import { ReadingRepository } from './reading.repository';

/** Steps a register needs before its cadence is learned, and how many recent ones count. */
export const MIN_STEPS_TO_LEARN = 20;
const RECENT_STEPS = 200;
/** A learned interval is replaced only by one this much different: re-learning redoes the point's history. */
const RELEARN_RATIO = 0.25;

/**
 * Learns each register's expected interval between readings from its own cadence: the median of
 * its last 200 steps, for registers whose registry entry sets no `expectedIntervalSeconds`
 * (docs/rollups.md, "Gaps"). A daily-read meter is then not an estimate every day, and a
 * 15-minute meter's 45-minute hole is. The learned value is recorded on the point and the point's
 * whole history is logged for the rollup refresher in the same transaction, so the rollups remain a
 * function of the readings and of recorded numbers.
 */
@Injectable()
export class CadenceLearner {
  constructor(
    private readonly db: Database,
    private readonly readings: ReadingRepository,
    private readonly registry: RegistryRepository,
  ) {}

  /** One pass over every register; returns the ids of the points whose interval was (re)learned. */
  async learn(): Promise<number[]> {
    const registers = await this.registry.registersWithoutInterval();
    const learned = await this.readings.medianSteps(registers, RECENT_STEPS, MIN_STEPS_TO_LEARN);
    if (learned.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const changed = await this.registry.storeLearnedIntervals(tx, learned, RELEARN_RATIO);
      return this.readings.logHistoryWithin(tx, changed);
    });
  }
}
