import { Module } from '@nestjs/common';
import { DeadLetterRepository } from './dead-letter.repository';
import { ReadingRepository } from './reading.repository';

@Module({
  providers: [ReadingRepository, DeadLetterRepository],
  exports: [ReadingRepository, DeadLetterRepository],
})
export class ReadingsModule {}
