import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { DomainError, IS_PUBLIC } from '@hallwatch/core';
import { Role } from '@hallwatch/domain';
import { AuthService, Principal } from './auth.service';
import { TooManyFailedAttempts } from './failed-auth-throttle';
import { ROLES_KEY } from './roles.decorator';

export type AuthenticatedRequest = Request & { principal?: Principal };

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** Every HTTP route needs a valid bearer token unless marked @Public(); @Roles narrows who. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.auth
      .authenticate(bearerToken(request.headers.authorization), request.ip ?? 'unknown')
      .catch((error: unknown) => tooManyRequests(error, context.switchToHttp().getResponse<Response>()));
    if (!principal) throw new DomainError('unauthorised', 'A valid bearer token is required');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new DomainError('forbidden', `This needs one of the roles: ${['admin', ...roles].join(', ')}`);
    }
    request.principal = principal;
    return true;
  }
}

/** 429 with Retry-After; the error filter answers it as a problem, as every other error. */
function tooManyRequests(error: unknown, response: Response): never {
  if (!(error instanceof TooManyFailedAttempts)) throw error;
  response.setHeader('Retry-After', String(error.retryAfterSeconds));
  throw new HttpException({ error: 'too-many-requests', message: error.message }, HttpStatus.TOO_MANY_REQUESTS);
}
