import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { ALL_SITES_KEY } from './all-sites.decorator';
import { DomainError } from './domain-error';

/**
 * @AllSites routes (metrics, health details, dead letters, tariffs...) refuse a caller scoped to
 * a list of sites, in every process: ingest and worker serve /metrics too. It runs after the
 * auth guard, which puts the principal on the request; its `sites` is '*' or a list.
 */
@Injectable()
export class AllSitesInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (
      context.getType() !== 'http' ||
      !this.reflector.getAllAndOverride<boolean>(ALL_SITES_KEY, [context.getHandler(), context.getClass()])
    ) {
      return next.handle();
    }
    const sites = context.switchToHttp().getRequest<{ principal?: { sites?: unknown } }>().principal?.sites;
    if (Array.isArray(sites)) throw new DomainError('forbidden', 'This concerns every site: it needs a token scoped to all sites');
    return next.handle();
  }
}
