import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@hallwatch/config';
import { HealthRegistry } from './health-registry.service';

/**
 * The Redis connections of this process. Reconnects on its own after a Redis restart; commands
 * wait in the offline queue meanwhile.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  readonly client: Redis;
  private readonly extra: Redis[] = [];

  constructor(
    private readonly config: AppConfig,
    health: HealthRegistry,
  ) {
    this.client = this.connect();
    health.register({
      name: 'redis',
      check: async () => {
        if (this.client.status !== 'ready') throw new Error(`connection ${this.client.status}`);
        await this.client.ping();
        return {};
      },
    });
  }

  /** A further connection (a subscriber cannot run other commands), closed with the service. */
  duplicate(): Redis {
    const connection = this.connect();
    this.extra.push(connection);
    return connection;
  }

  /** Prefixes a key or channel name with this installation's prefix. */
  key(name: string): string {
    return `${this.config.get('REDIS_PREFIX')}:${name}`;
  }

  private connect(): Redis {
    const connection = new Redis(this.config.get('REDIS_URL'), {
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Errors surface through health and the reconnect loop; an unhandled 'error' event would crash.
    connection.on('error', () => undefined);
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.client, ...this.extra].map((connection) => connection.quit().catch(() => connection.disconnect())));
  }
}
