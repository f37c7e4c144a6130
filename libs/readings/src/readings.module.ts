import { Module } from '@nestjs/common';
import { RegistryModule } from '@hallwatch/registry';
import { CadenceLearner } from './cadence-learner.service';
import { ConsumptionRepository } from './consumption.repository';
import { DeadLetterRepository } from './dead-letter.repository';
import { DerivedReadingRepository } from './derived-readings.repository';
import { IngestStore } from './ingest-store.service';
import { ReadingRepository } from './reading.repository';
import { RawRetention } from './raw-retention.repository';
import { RollupRefresher } from './rollup-refresher.service';
import { RollupRepository } from './rollup.repository';

/** Every repository and service of readings, offered to the apps as they are. */
const READINGS_PROVIDERS = [
  ReadingRepository,
  DeadLetterRepository,
  IngestStore,
  ConsumptionRepository,
  RollupRepository,
  RollupRefresher,
  CadenceLearner,
  RawRetention,
  DerivedReadingRepository,
];

/** The cadence learner stores learned intervals through the registry, which owns `points`. */
@Module({
  imports: [RegistryModule],
  providers: READINGS_PROVIDERS,
  exports: READINGS_PROVIDERS,
})
export class ReadingsModule {}
