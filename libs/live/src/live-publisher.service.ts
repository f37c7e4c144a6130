import { Injectable } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { AppConfig } from '@hallwatch/config';
import { Counter } from 'prom-client';
import { MetricsService, RedisService } from '@hallwatch/core';
import { LiveReading } from '@hallwatch/domain';
import { LIVE_NAMESPACE, liveReadingMessage, LiveReadingMessage, LiveServerEvents, siteRoom, socketIoKey } from './live-events';

/**
 * Publishes accepted readings to the /live rooms of every api instance through Redis (the
 * socket.io emitter protocol), so ingest needs no socket server of its own. One message per site
 * per batch: updates are coalesced by the batch that stored them.
 */
@Injectable()
export class LivePublisher {
  private readonly emitter: Emitter<LiveServerEvents>;
  private readonly published: Counter<string>;

  constructor(redis: RedisService, config: AppConfig, metrics: MetricsService) {
    this.emitter = new Emitter<LiveServerEvents>(redis.client, { key: socketIoKey(config.get('REDIS_PREFIX')) });
    this.published = metrics.counter({
      name: 'hallwatch_live_published_readings_total',
      help: 'Readings published to the /live rooms',
      labelNames: ['site'],
    });
  }

  publish(readings: readonly LiveReading[]): void {
    const bySite = new Map<string, LiveReadingMessage[]>();
    for (const reading of readings) {
      const batch = bySite.get(reading.site) ?? [];
      batch.push(liveReadingMessage(reading));
      bySite.set(reading.site, batch);
    }
    const live = this.emitter.of(LIVE_NAMESPACE);
    for (const [site, batch] of bySite) {
      live.to(siteRoom(site)).emit('readings', batch);
      this.published.inc({ site }, batch.length);
    }
  }

  /** An alert's new state, to everyone watching its site. */
  publishAlert(site: string, alert: Record<string, unknown>): void {
    this.emitter.of(LIVE_NAMESPACE).to(siteRoom(site)).emit('alert', alert);
  }
}
