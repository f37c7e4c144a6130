import { ConnectionOptions } from 'bullmq';
import { AppConfig } from '@hallwatch/config';

/** BullMQ's Redis connection and key prefix, from the validated configuration. */
export function bullmqOptions(config: AppConfig): { connection: ConnectionOptions; prefix: string } {
  const url = new URL(config.get('REDIS_URL'));
  return {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    },
    prefix: `${config.get('REDIS_PREFIX')}:bull`,
  };
}
