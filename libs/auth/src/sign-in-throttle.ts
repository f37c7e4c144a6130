import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import { Response } from 'express';
import { AppConfig } from '@hallwatch/config';
import { RedisService } from '@hallwatch/core';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const MINUTE_MS = 60_000;

/** An address may try this many times the per-name limit in a minute, over all the names it tries. */
export const ADDRESS_LIMIT_FACTOR = 4;

/**
 * Sign-in attempts per minute, counted twice: per client address and name (one machine guessing one
 * user's password) and per client address (one machine guessing many names). Never per name alone:
 * that would let anyone lock a user, the admin included, out of signing in from everywhere.
 * Only routes with the SignInThrottlerGuard count.
 */
export function signInThrottleOptions(config: AppConfig, redis: RedisService): ThrottlerModuleOptions {
  const limit = config.get('AUTH_SIGN_IN_LIMIT');
  const addressLimit = limit * ADDRESS_LIMIT_FACTOR;
  return {
    storage: new RedisThrottlerStorage(redis),
    errorMessage:
      `Too many sign-in attempts: at most ${limit} a minute for one name and ${addressLimit} a minute from one address. ` +
      'Wait a minute and try again.',
    throttlers: [
      { name: 'ip', ttl: MINUTE_MS, limit: addressLimit, getTracker: (request) => `ip:${String(request.ip)}` },
      {
        name: 'ip-name',
        ttl: MINUTE_MS,
        limit,
        getTracker: (request) => `ip-name:${String(request.ip)}:${nameOf(request.body).toLowerCase()}`,
      },
    ],
  };
}

/** The ThrottlerGuard, answering 429 in the shape of every other error, `{ error, message }`, with a plain Retry-After. */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(detail.timeToBlockExpire));
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
