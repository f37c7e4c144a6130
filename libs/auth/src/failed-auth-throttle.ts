import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { RedisService } from '@hallwatch/core';
import { ADDRESS_LIMIT_FACTOR } from './sign-in-throttle';

const WINDOW_MS = 60_000;

/** An address that presented too many invalid tokens; it may try again after `retryAfterSeconds`. */
export class TooManyFailedAttempts extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed authentications from this address: try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Invalid tokens presented per client address, in a fixed one-minute window counted in Redis so
 * every api instance sees the same count. An address gets as many as it gets sign-in attempts
 * (AUTH_SIGN_IN_LIMIT times ADDRESS_LIMIT_FACTOR). While Redis is not connected nothing is counted:
 * a Redis outage must not stop every request that misses the token cache.
 */
@Injectable()
export class FailedAuthThrottle {
  private readonly logger = new Logger(FailedAuthThrottle.name);
  private readonly limit: number;

  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.limit = config.get('AUTH_SIGN_IN_LIMIT') * ADDRESS_LIMIT_FACTOR;
  }

  /** Throws TooManyFailedAttempts while the address is over its limit. */
  async check(address: string): Promise<void> {
    const results = await this.run(address, (key) => this.redis.client.multi().get(key).pttl(key));
    if (results) this.throwIfOver(Number(results[0] ?? 0), Number(results[1]));
  }

  /** Counts one invalid token from the address; throws TooManyFailedAttempts past the limit. */
  async fail(address: string): Promise<void> {
    const results = await this.run(address, (key) => this.redis.client.multi().set(key, '0', 'PX', WINDOW_MS, 'NX').incr(key).pttl(key));
    if (results) this.throwIfOver(Number(results[1]), Number(results[2]));
  }

  private throwIfOver(failures: number, remainingMs: number): void {
    if (failures > this.limit) throw new TooManyFailedAttempts(Math.max(1, Math.ceil(remainingMs / 1000)));
  }

  private async run(
    address: string,
    command: (key: string) => { exec(): Promise<Array<[Error | null, unknown]> | null> },
  ): Promise<unknown[] | undefined> {
    if (this.redis.client.status !== 'ready') return undefined;
    try {
      const results = await command(this.redis.key(`auth-failures:${address}`)).exec();
      return results?.map(([, value]) => value);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not count failed authentications');
      return undefined;
    }
  }
}
