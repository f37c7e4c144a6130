import { Module } from '@nestjs/common';
import { ReadingsModule } from '@hallwatch/readings';
import { RegistryModule } from '@hallwatch/registry';
import { ReportRenderer } from './report-renderer.service';
import { ReportRunsRepository } from './report-runs.repository';
import { SavingsAnnotationsRepository } from './savings-annotations.repository';
import { SavingsDataRepository } from './savings-data.repository';
import { SavingsService } from './savings.service';

/** Savings against baseline years: the numbers, the officers' annotations, and the report files. */
@Module({
  imports: [RegistryModule, ReadingsModule],
  providers: [SavingsDataRepository, SavingsAnnotationsRepository, SavingsService, ReportRenderer, ReportRunsRepository],
  exports: [SavingsDataRepository, SavingsAnnotationsRepository, SavingsService, ReportRenderer, ReportRunsRepository],
})
export class SavingsModule {}
