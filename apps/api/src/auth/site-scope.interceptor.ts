import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, Observable } from 'rxjs';
import { assertInScope, AuthenticatedRequest, inScope, requestedSites, SCOPED_LIST_KEY, SITE_OF_KEY, SiteOwned } from '@hallwatch/auth';
import { DomainError } from '@hallwatch/core';
import { ALL_SITES } from '@hallwatch/domain';
import { SiteOfService } from './site-of.service';

/**
 * Site scope, for every route at once (it runs after the AuthGuard, before pipes and handlers):
 * a principal scoped to some sites gets 403 for a site it does not hold, whether the route names
 * it in the path, the query or the body (@SiteOf: the site of the thing the id addresses), and
 * lists without other sites' items (@ScopedList). Routes about every site (@AllSites) are refused
 * to it by AllSitesInterceptor (libs/core), in every process.
 */
@Injectable()
export class SiteScopeInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly lookup: SiteOfService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const scope = request.principal?.sites;
    if (scope === undefined || scope === ALL_SITES) return next.handle();
    const targets = [context.getHandler(), context.getClass()];
    for (const site of requestedSites(request)) assertInScope(scope, site);
    const owned = this.reflector.getAllAndOverride<{ kind: SiteOwned; param: string } | undefined>(SITE_OF_KEY, targets);
    if (owned) {
      const site = await this.lookup.siteOf(owned.kind, String(request.params[owned.param]));
      // The caller named an id, not a site: the refusal must not tell them whose it is.
      if (site !== undefined && !inScope(scope, site)) throw new DomainError('forbidden', 'Not scoped to the site of this item');
    }
    const siteOf = this.reflector.getAllAndOverride<((item: unknown) => string | undefined) | undefined>(SCOPED_LIST_KEY, targets);
    if (!siteOf) return next.handle();
    return next.handle().pipe(
      map((value: unknown) =>
        Array.isArray(value)
          ? value.filter((item) => {
              const site = siteOf(item);
              return site === undefined || inScope(scope, site);
            })
          : value,
      ),
    );
  }
}
