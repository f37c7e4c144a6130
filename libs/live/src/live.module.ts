import { Module } from '@nestjs/common';
import { LivePublisher } from './live-publisher.service';

@Module({ providers: [LivePublisher], exports: [LivePublisher] })
export class LiveModule {}
