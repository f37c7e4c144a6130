import { ThrottlerStorage } from '@nestjs/throttler';
import { RedisService } from '@hallwatch/core';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Fixed-window counters in Redis, so every api instance behind a load balancer counts the same
 * sign-in attempts. Past the limit the key is blocked for `blockDuration`.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly redis: RedisService) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const hits = this.redis.key(`throttle:${throttlerName}:${key}`);
    const blocked = `${hits}:blocked`;
    const blockedMs = await this.redis.client.pttl(blocked);
    if (blockedMs > 0) {
      const seconds = Math.ceil(blockedMs / 1000);
      return { totalHits: limit + 1, timeToExpire: seconds, isBlocked: true, timeToBlockExpire: seconds };
    }
    const results = await this.redis.client.multi().set(hits, '0', 'PX', ttl, 'NX').incr(hits).pttl(hits).exec();
    const totalHits = Number(results?.[1]?.[1] ?? 1);
    const timeToExpire = Math.ceil(Math.max(Number(results?.[2]?.[1] ?? ttl), 0) / 1000);
    if (totalHits <= limit) return { totalHits, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
    await this.redis.client.set(blocked, '1', 'PX', blockDuration);
    const seconds = Math.ceil(blockDuration / 1000);
    return { totalHits, timeToExpire, isBlocked: true, timeToBlockExpire: seconds };
  }
}
