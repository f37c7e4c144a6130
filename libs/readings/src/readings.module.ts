import { Module } from '@nestjs/common';
import { DeadLetterRepository } from './dead-letter.repository';
import { IngestStore } from './ingest-store.service';
import { ReadingRepository } from './reading.repository';

@Module({
  providers: [ReadingRepository, DeadLetterRepository, IngestStore],
  exports: [ReadingRepository, DeadLetterRepository, IngestStore],
})
export class ReadingsModule {}
