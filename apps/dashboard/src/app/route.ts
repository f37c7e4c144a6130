/** The pages, addressed by the location hash: #/overview, #/chillers, #/zones, #/trends?asset=…&point=…&range=…, #/alerts, #/savings,
 * #/floors?floor=…, #/maintenance, #/admin?tab=… */
export const PAGES = ['overview', 'chillers', 'zones', 'floors', 'trends', 'alerts', 'maintenance', 'savings', 'admin'] as const;
export type PageName = (typeof PAGES)[number];

/** Pages only an admin sees and may open. */
export const ADMIN_PAGES: readonly PageName[] = ['admin'];

export interface Route {
  page: PageName;
  params: Record<string, string>;
}

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const page = (PAGES as readonly string[]).includes(path) ? (path as PageName) : 'overview';
  return { page, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function routeHref(page: PageName, params: Record<string, string | undefined> = {}): string {
  const defined = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
  const query = new URLSearchParams(defined).toString();
  return `#/${page}${query ? `?${query}` : ''}`;
}
