import { Reading } from '@hallwatch/domain';
import { DeadLetter, ReplayOf } from './dead-letter.repository';

/** A reading is late when it arrives this long after its timestamp (stored all the same). */
export const LATE_AFTER_MS = 15 * 60_000;

export interface LedgerUnit {
  source: string;
  receivedAt: number;
  readings: readonly Reading[];
  deadLetters: readonly DeadLetter[];
  /** Set when the unit replays a dead letter: its rejections stay on that letter instead of becoming new ones. */
  replay?: ReplayOf;
}

export interface LedgerEntry {
  source: string;
  outcome: string;
  count: number;
}

/**
 * The ledger increments of one stored batch: per source, received (readings + rejections),
 * stored, duplicate, late, and rejected:{reason}. `fresh` holds `${pointId}:${ts}` of the readings
 * the store accepted as new; the first unit to claim one gets it.
 */
export function ledgerEntries(units: readonly LedgerUnit[], fresh: Set<string>): LedgerEntry[] {
  const counts = new Map<string, number>();
  const add = (source: string, outcome: string, count: number) => {
    if (count === 0) return;
    const key = `${source}\u0000${outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + count);
  };
  for (const unit of units) {
    let stored = 0;
    let late = 0;
    for (const reading of unit.readings) {
      if (fresh.delete(`${reading.pointId}:${reading.ts}`)) stored++;
      if (unit.receivedAt - reading.ts > LATE_AFTER_MS) late++;
    }
    add(unit.source, 'received', unit.readings.length + unit.deadLetters.length);
    add(unit.source, 'stored', stored);
    add(unit.source, 'duplicate', unit.readings.length - stored);
    add(unit.source, 'late', late);
    for (const letter of unit.deadLetters) add(unit.source, `rejected:${letter.reason}`, 1);
  }
  return [...counts].map(([key, count]) => {
    const [source, outcome] = key.split('\u0000');
    return { source, outcome, count };
  });
}
