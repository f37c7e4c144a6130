export const ROLES = ['viewer', 'engineer', 'energy-officer', 'maintenance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The sites a user or token may see and act on: every site ('*'), or a list of site keys. */
export type SiteScope = '*' | readonly string[];
export const ALL_SITES = '*';
