import { Injectable, Logger } from '@nestjs/common';
import { AlertEvaluator, SiteSample, SOURCE_ASSET } from '@hallwatch/alerts';
import { Reading } from '@hallwatch/domain';
import { PointDirectory } from './point-directory.service';

/**
 * Hands what ingest stored to the alert evaluator, one batch after the other so that a rule sees
 * its samples in the order they were stored. Evaluation never holds up storage: the readings are
 * already safe when they get here, and a failure (Redis away) is logged, not thrown.
 */
@Injectable()
export class AlertFeed {
  private readonly logger = new Logger(AlertFeed.name);
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly evaluator: AlertEvaluator,
    private readonly directory: PointDirectory,
  ) {}

  stored(readings: readonly Reading[]): void {
    const samples: SiteSample[] = [];
    for (const reading of readings) {
      const address = this.directory.addressOf(reading.pointId);
      if (address) samples.push({ site: address.site, asset: address.asset, point: address.point, ts: reading.ts, value: reading.value });
    }
    this.push(samples);
  }

  /** A device or connection came or went: the `$source` point `<source>:<id>` is 1 online, 0 offline. */
  presence(source: string, id: string, online: boolean, at: number): void {
    this.push([{ site: '*', asset: SOURCE_ASSET, point: `${source}:${id}`, ts: at, value: online ? 1 : 0 }]);
  }

  /** Resolves when everything handed over so far was evaluated (tests and shutdown). */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  private push(samples: SiteSample[]): void {
    if (samples.length === 0) return;
    this.chain = this.chain
      .then(() => this.evaluator.evaluate(samples))
      .then(
        () => undefined,
        (error: Error) => this.logger.warn(`alert evaluation of ${samples.length} sample(s) failed: ${error.message}`),
      );
  }
}
