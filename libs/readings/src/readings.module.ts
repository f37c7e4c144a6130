import { Module } from '@nestjs/common';
import { ConsumptionRepository } from './consumption.repository';
import { DeadLetterRepository } from './dead-letter.repository';
import { DerivedReadingRepository } from './derived-readings.repository';
import { IngestStore } from './ingest-store.service';
import { ReadingRepository } from './reading.repository';
import { RawRetention } from './raw-retention.repository';
import { RollupRefresher } from './rollup-refresher.service';

@Module({
  providers: [
    ReadingRepository,
    DeadLetterRepository,
    IngestStore,
    ConsumptionRepository,
    RollupRefresher,
    RawRetention,
    DerivedReadingRepository,
  ],
  exports: [
    ReadingRepository,
    DeadLetterRepository,
    IngestStore,
    ConsumptionRepository,
    RollupRefresher,
    RawRetention,
    DerivedReadingRepository,
  ],
})
export class ReadingsModule {}
