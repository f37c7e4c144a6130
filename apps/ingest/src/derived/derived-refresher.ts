import { Reading, ReadingFlags } from '@hallwatch/domain';
import { DerivedReadingRepository, InvalidatedSpan, invalidatedSpans, mergeSpans } from '@hallwatch/readings';
import { DerivedPoints, MAX_INPUT_AGE_MS } from './derived-points';

/** Logged spans taken per pass: a pass is one transaction, so a crash repeats at most this much. */
export const DERIVED_CLAIM_LIMIT = 5_000;

export interface DerivedPassResult {
  /** how many logged spans the pass took (0: nothing was waiting) */
  claimed: number;
  /** the derived readings it wrote, new or changed (for the live stream and the alert rules) */
  stored: Reading[];
}

/**
 * Keeps the stored readings of derived points equal to their definition (derived-points.ts) as
 * input readings are stored, by any instance, in any order and batching.
 *
 * Writers log the spans of the readings they store into `derived_invalidations` in the same
 * transaction as the readings, beside `rollup_invalidations` (ReadingRepository, through
 * logDerivedInvalidations). A pass, in one transaction under
 * the rollup lock (one pass at a time across instances, never beside a rollup refresh or a purge):
 * takes (deletes) the logged spans, recomputes every derived value they may change from the stored
 * inputs, writes what differs and deletes what is no longer defined, logs those changes for the
 * rollup refresher (and for the next pass, where a derived point is another one's input), commits.
 *
 * Why this is exact under concurrency: a span becomes visible to a pass only when its writer has
 * committed, so the pass that takes it reads inputs that include those readings; a span not yet
 * committed stays in the log for a later pass; a span is gone only if the pass that took it
 * committed its results. Passes are serialised, so the last pass to write a derived value read the
 * inputs after the last change that could affect it. A log of its own rather than watermarks over
 * `rollup_invalidations`: the rollup refresher (of any instance, or retention's drain) deletes its
 * entries, and one committed after a derived pass and taken by a refresher before the next would
 * never be seen; out-of-order commits of bigserial ids make an id watermark skip entries too.
 *
 * Derived points of derived points: each pass does one level, and logs its changes for the next
 * pass, which the refresh loop runs until nothing is left; so they iterate until no change.
 * Definitions that depend on themselves are refused when the registry is loaded.
 */
export class DerivedRefresher {
  constructor(
    private readonly repository: DerivedReadingRepository,
    private readonly points: DerivedPoints,
  ) {}

  /** One pass over at most DERIVED_CLAIM_LIMIT logged spans. */
  async refreshPending(): Promise<DerivedPassResult> {
    // One version of the registry for the whole pass. Before it is loaded every span would look
    // like no derived point's input, and be lost.
    const definitions = this.points.current;
    if (!definitions) return { claimed: 0, stored: [] };
    const involved = (pointId: number) => [pointId, ...definitions.inputsOf(pointId)];
    return this.repository.locked(async (tx) => {
      const claimed = await this.repository.claim(tx, DERIVED_CLAIM_LIMIT);
      const planned = definitions.windows(claimed);
      if (planned.length === 0) return { claimed: claimed.length, stored: [] };
      const horizons = await this.repository.horizons(tx, [...new Set(planned.flatMap((window) => involved(window.pointId)))]);
      const windows = planned.flatMap((window) => clip(window, involved(window.pointId), horizons));
      const inputSpans = windows.flatMap((window) =>
        definitions.inputsOf(window.pointId).map((pointId) => ({ pointId, from: window.from, to: window.to })),
      );
      const samples = await this.repository.samples(tx, mergeSpans(inputSpans), MAX_INPUT_AGE_MS);
      const values = windows.flatMap((window) =>
        definitions.values(window, samples).map(({ ts, value }) => ({ pointId: window.pointId, ts, value, flags: ReadingFlags.derived })),
      );
      const { stored, removed } = await this.repository.replace(tx, windows, values);
      const changed = invalidatedSpans([...stored, ...removed]);
      await this.repository.logChanges(
        tx,
        changed,
        changed.filter((span) => definitions.isInput(span.pointId)),
      );
      return { claimed: claimed.length, stored };
    });
  }

  /** Passes until the log is empty (tests, back-fills); returns every derived reading written. */
  async drain(): Promise<Reading[]> {
    const stored: Reading[] = [];
    for (;;) {
      const pass = await this.refreshPending();
      stored.push(...pass.stored);
      if (pass.claimed === 0) return stored;
    }
  }
}

/**
 * Not before the retention horizon of the derived point or of any of its inputs: there its
 * rollups are final, or an input's raw readings are gone, so its stored values stay as they are.
 */
function clip(window: InvalidatedSpan, involved: readonly number[], horizons: ReadonlyMap<number, number>): InvalidatedSpan[] {
  const from = Math.max(window.from, ...involved.map((pointId) => horizons.get(pointId) ?? -Infinity));
  return from <= window.to ? [{ ...window, from }] : [];
}
