import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { RedisService } from '@hallwatch/core';

/**
 * Tells every process that the registry changed (a site, asset or point was created or updated
 * through the API), over Redis pub/sub, so ingest maps new points at once.
 */
@Injectable()
export class RegistryChanges implements OnApplicationShutdown {
  private readonly channel: string;
  private subscriber?: ReturnType<RedisService['duplicate']>;

  constructor(private readonly redis: RedisService) {
    this.channel = redis.key('registry:changed');
  }

  async announce(): Promise<void> {
    await this.redis.client.publish(this.channel, String(Date.now()));
  }

  async onChange(listener: () => void): Promise<void> {
    this.subscriber ??= this.redis.duplicate();
    this.subscriber.on('message', (channel) => {
      if (channel === this.channel) listener();
    });
    await this.subscriber.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.unsubscribe().catch(() => undefined);
  }
}
