import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ReadingsModule } from '@hallwatch/readings';
import { RegistryModule } from '@hallwatch/registry';
import { haystackBodyParser } from './haystack-body.middleware';
import { HaystackController } from './haystack.controller';
import { HaystackService } from './haystack.service';

/** The Haystack read ops (about, read, hisRead) under /api/v1/haystack. */
@Module({
  imports: [RegistryModule, ReadingsModule],
  controllers: [HaystackController],
  providers: [HaystackService],
})
export class HaystackModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(haystackBodyParser).forRoutes(HaystackController);
  }
}
