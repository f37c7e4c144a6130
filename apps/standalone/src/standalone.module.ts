import { Module } from '@nestjs/common';
import { ApiModule } from '@hallwatch/api';
import { IngestModule } from '@hallwatch/ingest';
import { WorkerModule } from '@hallwatch/worker';

/** The composition root: the very modules production runs as three processes, in one. */
@Module({ imports: [IngestModule, ApiModule, WorkerModule] })
export class StandaloneModule {}
