export const ROLES = ['viewer', 'engineer', 'energy-officer', 'maintenance', 'admin'] as const;
export type Role = (typeof ROLES)[number];
