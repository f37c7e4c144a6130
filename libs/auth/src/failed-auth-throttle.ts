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
 * Distinct invalid tokens presented per client address, in a fixed one-minute window kept in Redis
 * so every api instance sees the same count. Distinct, because guessing and flooding the token
 * cache take new tokens, while a forgotten screen retrying its expired session repeats one and must
 * not lock out the other machines behind the same address. An address gets as many as it gets
 * sign-in attempts (AUTH_SIGN_IN_LIMIT times ADDRESS_LIMIT_FACTOR). While Redis is not connected
 * nothing is counted: a Redis outage must not stop every request that misses the token cache.
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
    const results = await this.run(address, (key) => this.redis.client.multi().scard(key).pttl(key));
    if (results) this.throwIfOver(Number(results[0]), Number(results[1]));
  }

  /** Counts an invalid token (by its hash) from the address; throws TooManyFailedAttempts past the limit. */
  async fail(address: string, tokenHash: string): Promise<void> {
    const results = await this.run(address, (key) => this.redis.client.multi().sadd(key, tokenHash).scard(key).pttl(key));
    if (!results) return;
    let remainingMs = Number(results[2]);
    if (remainingMs < 0) {
      // The window starts with its first token (no PEXPIRE NX: it needs Redis 7).
      await this.redis.client.pexpire(this.key(address), WINDOW_MS).catch((error: Error) => {
        this.logger.warn({ err: error }, 'could not start a window of failed authentications');
      });
      remainingMs = WINDOW_MS;
    }
    this.throwIfOver(Number(results[1]), remainingMs);
  }

  private key(address: string): string {
    return this.redis.key(`auth-failures:${address}`);
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
      const results = await command(this.key(address)).exec();
      return results?.map(([, value]) => value);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not count failed authentications');
      return undefined;
    }
  }
}
