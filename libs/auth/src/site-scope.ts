import { ALL_SITES, SiteScope } from '@hallwatch/domain';
import { DomainError } from '@hallwatch/core';

/** Whether a scope covers a site. '*' (every site, or a policy for every site) needs an all-sites scope. */
export function inScope(scope: SiteScope, site: string): boolean {
  return scope === ALL_SITES || (site !== ALL_SITES && scope.includes(site));
}

export function assertInScope(scope: SiteScope, site: string): void {
  if (!inScope(scope, site)) throw new DomainError('forbidden', `Not scoped to site ${site}`);
}

/** Stored as text[]; null (or a list holding '*') is every site. */
export function scopeFromColumn(sites: string[] | null): SiteScope {
  return sites === null || sites.includes(ALL_SITES) ? ALL_SITES : sites;
}

export function scopeToColumn(scope: SiteScope): string[] | null {
  return scope === ALL_SITES ? null : [...scope];
}

/**
 * The sites a request names: the `:site` path parameter, `?site=`, and `site` in the body or in
 * its `params` (report schedules). Each must be in the caller's scope.
 */
export function requestedSites(request: { params?: unknown; query?: unknown; body?: unknown }): string[] {
  const body = record(request.body);
  const candidates = [record(request.params).site, record(request.query).site, body.site, record(body.params).site];
  return [...new Set(candidates.filter((site): site is string => typeof site === 'string' && site !== ''))];
}

/** The sites a list should cover: undefined for every site; otherwise the requested one or the scope's. */
export function listSites(scope: SiteScope, requested?: string): string[] | undefined {
  if (requested !== undefined) return [requested];
  return scope === ALL_SITES ? undefined : [...scope];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
