import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '@hallwatch/config';
import { RedisService } from '@hallwatch/core';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const MINUTE_MS = 60_000;

/**
 * Sign-in attempts per minute, counted twice: per client IP (one machine guessing many names) and
 * per user name (many machines guessing one name). Only routes with the SignInThrottlerGuard count.
 */
export function signInThrottleOptions(config: AppConfig, redis: RedisService): ThrottlerModuleOptions {
  const limit = config.get('AUTH_SIGN_IN_LIMIT');
  return {
    storage: new RedisThrottlerStorage(redis),
    errorMessage: `Too many sign-in attempts: at most ${limit} a minute per address and per user name. Wait a minute and try again.`,
    throttlers: [
      { name: 'ip', ttl: MINUTE_MS, limit, getTracker: (request) => `ip:${String(request.ip)}` },
      {
        name: 'name',
        ttl: MINUTE_MS,
        limit,
        getTracker: (request) => `name:${nameOf(request.body).toLowerCase()}`,
      },
    ],
  };
}

/** The ThrottlerGuard, answering 429 in the shape of every other error: `{ error, message }`. */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      { error: 'too-many-requests', message: await this.getErrorMessage(context, detail) },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

function nameOf(body: unknown): string {
  const name = (body as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}
