import { Role, ROLES } from '@hallwatch/domain';

/**
 * Who may call what: the machine-readable source of docs/authorization-matrix.md. The security
 * suite (test/security) checks that every route the api registers is listed here, that every
 * role gets what is listed and no more, and that the document says the same.
 *
 * Site scope, on top of the role:
 * - `site`: the route names a site (path `:site`, `?site=`, or `site` in the body): 403 outside the caller's sites.
 * - `item`: the route addresses a thing by id: 403 when that thing's site is outside the caller's sites.
 * - `list`: the answer leaves out what belongs to other sites.
 * - `all-sites`: the route concerns every site: only a caller scoped to all sites ('*').
 * - `none`: not about a site.
 * Admins are always scoped to every site.
 */
export type SiteRule = 'site' | 'item' | 'list' | 'all-sites' | 'none';

export interface AccessRule {
  /** 'public' needs no token; otherwise the roles that may call (always including admin). */
  roles: 'public' | readonly Role[];
  scope: SiteRule;
}

const everyone: readonly Role[] = ROLES;
const only = (...roles: Role[]): readonly Role[] => ROLES.filter((role) => role === 'admin' || roles.includes(role));
const crews = only('maintenance', 'engineer');
const energy = only('energy-officer');
const engineers = only('engineer');
const admins = only();

/** `METHOD /path` as registered (Express path patterns) -> who may call it. */
export const HTTP_ACCESS: Record<string, AccessRule> = {
  // Public health says up or down per connection; its details (addresses, errors) need a token.
  'GET /health': { roles: 'public', scope: 'none' },
  // Liveness: the process answers (orchestrators restart it when it does not); nothing about dependencies.
  'GET /health/live': { roles: 'public', scope: 'none' },
  'GET /health/details': { roles: everyone, scope: 'all-sites' },
  // Metrics name sites (live subscribers, sources): only for tokens of every site.
  'GET /metrics': { roles: everyone, scope: 'all-sites' },
  // The dashboard's files (it signs in itself), and the OpenAPI document with its viewer.
  'GET {*any}': { roles: 'public', scope: 'none' },
  'GET /api/docs': { roles: 'public', scope: 'none' },
  'GET /api/docs/': { roles: 'public', scope: 'none' },
  'GET /api/docs/index.html': { roles: 'public', scope: 'none' },
  'GET /api/docs/swagger-ui-init.js': { roles: 'public', scope: 'none' },
  'GET /api/docs/docs/swagger-ui-init.js': { roles: 'public', scope: 'none' },
  'GET /api/docs/LICENSE': { roles: 'public', scope: 'none' },
  'GET /api/docs/openapi.json': { roles: 'public', scope: 'none' },
  'GET /api/docs-yaml': { roles: 'public', scope: 'none' },

  'POST /api/v1/auth/sign-in': { roles: 'public', scope: 'none' },
  'POST /api/v1/auth/sign-out': { roles: everyone, scope: 'none' },
  'GET /api/v1/auth/me': { roles: everyone, scope: 'none' },
  'GET /api/v1/users': { roles: admins, scope: 'none' },
  'POST /api/v1/users': { roles: admins, scope: 'none' },
  'PUT /api/v1/users/:name': { roles: admins, scope: 'none' },
  'DELETE /api/v1/users/:name': { roles: admins, scope: 'none' },
  'POST /api/v1/tokens': { roles: admins, scope: 'none' },
  'GET /api/v1/tokens': { roles: admins, scope: 'none' },
  'DELETE /api/v1/tokens/:id': { roles: admins, scope: 'none' },
  'GET /api/v1/audit': { roles: admins, scope: 'none' },

  'GET /api/v1/sites': { roles: everyone, scope: 'list' },
  'GET /api/v1/sites/:site': { roles: everyone, scope: 'site' },
  'PUT /api/v1/sites/:site': { roles: admins, scope: 'site' },
  'PUT /api/v1/sites/:site/assets/:asset': { roles: admins, scope: 'site' },
  'PUT /api/v1/sites/:site/assets/:asset/points/:point': { roles: admins, scope: 'site' },
  'GET /api/v1/sites/:site/assets/:asset/points/:point/replacements': { roles: everyone, scope: 'site' },
  'POST /api/v1/sites/:site/assets/:asset/points/:point/replacements': { roles: engineers, scope: 'site' },
  'GET /api/v1/sites/:site/assets/:asset/points/:point/readings/corrections': { roles: everyone, scope: 'site' },
  'POST /api/v1/sites/:site/assets/:asset/points/:point/readings/corrections': { roles: only('engineer', 'energy-officer'), scope: 'site' },
  'GET /api/v1/sites/:site/assets/:asset/points/:point/readings': { roles: everyone, scope: 'site' },
  'GET /api/v1/sites/:site/consumption': { roles: everyone, scope: 'site' },
  'GET /api/v1/sites/:site/demand': { roles: everyone, scope: 'site' },
  'GET /api/v1/sites/:site/overview': { roles: everyone, scope: 'site' },
  'GET /api/v1/sites/:site/floors/:floor/plan': { roles: everyone, scope: 'site' },
  'PUT /api/v1/sites/:site/floors/:floor/plan': { roles: engineers, scope: 'site' },

  'GET /api/v1/ingest/dead-letters': { roles: engineers, scope: 'all-sites' },
  'GET /api/v1/ingest/dead-letters/summary': { roles: engineers, scope: 'all-sites' },
  'POST /api/v1/ingest/dead-letters/replay': { roles: engineers, scope: 'all-sites' },
  'POST /api/v1/ingest/dead-letters/:id/replay': { roles: engineers, scope: 'all-sites' },
  'GET /api/v1/ingest/ledger': { roles: engineers, scope: 'all-sites' },
  'POST /api/v1/opcua/browse': { roles: engineers, scope: 'all-sites' },

  'GET /api/v1/reports/savings': { roles: everyone, scope: 'site' },
  // A portfolio spans many sites (本府各機關學校): for callers of every site.
  'GET /api/v1/reports/savings/portfolio': { roles: everyone, scope: 'all-sites' },
  'POST /api/v1/reports': { roles: only('energy-officer', 'engineer'), scope: 'site' },
  'GET /api/v1/reports': { roles: everyone, scope: 'list' },
  'GET /api/v1/reports/schedules': { roles: everyone, scope: 'list' },
  'POST /api/v1/reports/schedules': { roles: energy, scope: 'site' },
  'DELETE /api/v1/reports/schedules/:id': { roles: energy, scope: 'item' },
  'GET /api/v1/reports/:id': { roles: everyone, scope: 'item' },
  'GET /api/v1/reports/:id/file': { roles: everyone, scope: 'item' },

  'GET /api/v1/sites/:site/savings/adjustments': { roles: everyone, scope: 'site' },
  'POST /api/v1/sites/:site/savings/adjustments': { roles: energy, scope: 'site' },
  'DELETE /api/v1/sites/:site/savings/adjustments/:id': { roles: energy, scope: 'site' },
  'GET /api/v1/sites/:site/savings/measures': { roles: everyone, scope: 'site' },
  'POST /api/v1/sites/:site/savings/measures': { roles: energy, scope: 'site' },
  'DELETE /api/v1/sites/:site/savings/measures/:id': { roles: energy, scope: 'site' },
  'GET /api/v1/sites/:site/savings/targets/:utility': { roles: everyone, scope: 'site' },
  'PUT /api/v1/sites/:site/savings/targets/:utility': { roles: energy, scope: 'site' },
  'GET /api/v1/emission-factors': { roles: everyone, scope: 'none' },
  'PUT /api/v1/emission-factors/:year': { roles: energy, scope: 'all-sites' },
  'GET /api/v1/tariffs': { roles: everyone, scope: 'none' },
  'PUT /api/v1/tariffs/:id': { roles: energy, scope: 'all-sites' },

  'GET /api/v1/alerts': { roles: everyone, scope: 'list' },
  'GET /api/v1/alerts/:id': { roles: everyone, scope: 'item' },
  'POST /api/v1/alerts/:id/ack': { roles: crews, scope: 'item' },
  'POST /api/v1/alerts/:id/resolve': { roles: crews, scope: 'item' },
  'POST /api/v1/alerts/:id/assign': { roles: crews, scope: 'item' },
  'POST /api/v1/alerts/:id/comments': { roles: crews, scope: 'item' },
  'POST /api/v1/alerts/:id/shelve': { roles: crews, scope: 'item' },
  'POST /api/v1/alerts/:id/unshelve': { roles: crews, scope: 'item' },
  'GET /api/v1/alert-rules': { roles: everyone, scope: 'list' },
  'GET /api/v1/sites/:site/alert-rules': { roles: everyone, scope: 'site' },
  'GET /api/v1/sites/:site/alert-rules/:id': { roles: everyone, scope: 'site' },
  'PUT /api/v1/sites/:site/alert-rules/:id': { roles: engineers, scope: 'site' },
  'DELETE /api/v1/sites/:site/alert-rules/:id': { roles: engineers, scope: 'site' },
  'POST /api/v1/sites/:site/alert-rules/starter-pack': { roles: engineers, scope: 'site' },
  'GET /api/v1/alert-contacts': { roles: everyone, scope: 'list' },
  'PUT /api/v1/alert-contacts/:id': { roles: admins, scope: 'none' },
  'DELETE /api/v1/alert-contacts/:id': { roles: admins, scope: 'none' },
  'GET /api/v1/escalation-policies': { roles: everyone, scope: 'list' },
  'PUT /api/v1/escalation-policies/:site': { roles: admins, scope: 'site' },
  'GET /api/v1/notifications': { roles: everyone, scope: 'list' },

  'GET /api/v1/maintenance/tasks': { roles: everyone, scope: 'list' },
  'PUT /api/v1/maintenance/tasks/:id': { roles: crews, scope: 'item' },
  'DELETE /api/v1/maintenance/tasks/:id': { roles: crews, scope: 'item' },
  'GET /api/v1/maintenance/work-items': { roles: everyone, scope: 'list' },
  'POST /api/v1/maintenance/work-items/from-alert/:alertId': { roles: crews, scope: 'item' },
  'POST /api/v1/maintenance/work-items/:id/complete': { roles: crews, scope: 'item' },

  // Project Haystack (read-only): read answers only the caller's sites' entities; hisRead refuses a point of another site.
  'GET /api/v1/haystack/about': { roles: everyone, scope: 'none' },
  'GET /api/v1/haystack/ops': { roles: everyone, scope: 'none' },
  'GET /api/v1/haystack/formats': { roles: everyone, scope: 'none' },
  'GET /api/v1/haystack/read': { roles: everyone, scope: 'list' },
  'POST /api/v1/haystack/read': { roles: everyone, scope: 'list' },
  'GET /api/v1/haystack/hisRead': { roles: everyone, scope: 'item' },
  'POST /api/v1/haystack/hisRead': { roles: everyone, scope: 'item' },
};

/** The socket.io namespace: a token in the handshake, then `subscribe { site }` within the scope. */
export const SOCKET_ACCESS: Record<string, AccessRule> = {
  'SOCKET /live': { roles: everyone, scope: 'site' },
};
