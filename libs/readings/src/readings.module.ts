import { Module } from '@nestjs/common';
import { ConsumptionRepository } from './consumption.repository';
import { DeadLetterRepository } from './dead-letter.repository';
import { IngestStore } from './ingest-store.service';
import { ReadingRepository } from './reading.repository';

@Module({
  providers: [ReadingRepository, DeadLetterRepository, IngestStore, ConsumptionRepository],
  exports: [ReadingRepository, DeadLetterRepository, IngestStore, ConsumptionRepository],
})
export class ReadingsModule {}
