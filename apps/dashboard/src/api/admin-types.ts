/** Shapes of the administration, maintenance and floor-plan routes, as the dashboard reads them. */

export type Role = 'viewer' | 'engineer' | 'energy-officer' | 'maintenance' | 'admin';
export const ROLE_NAMES: readonly Role[] = ['viewer', 'engineer', 'energy-officer', 'maintenance', 'admin'];
/** '*' for every site, or site keys. */
export type SiteScope = '*' | string[];

export interface Me {
  name: string;
  role: Role;
  sites: SiteScope;
  kind: string;
  expiresAt: string | null;
}

export interface UserView {
  name: string;
  role: Role;
  sites: SiteScope;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TokenView {
  id: number;
  name: string;
  kind: string;
  user: string | null;
  role: Role;
  sites: SiteScope;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** The answer to creating a token: the only time the token itself is seen. */
export interface CreatedToken extends TokenView {
  token: string;
}

export interface RuleCondition {
  type: string;
  point?: { asset: string; point: string };
  above?: number;
  below?: number;
  forSeconds?: number;
  [key: string]: unknown;
}

export interface RuleDefinitionView {
  id: string;
  site: string;
  name: string;
  severity: 'P1' | 'P2' | 'P3' | 'P4';
  target: string;
  condition: RuleCondition;
  [key: string]: unknown;
}

export interface StoredRuleView {
  rule: RuleDefinitionView;
  enabled: boolean;
  origin: string;
  updatedBy: string;
  updatedAt: string;
}

export type Channel = 'webhook' | 'chat' | 'email';

export interface ContactView {
  id: string;
  name: string;
  channel: Channel;
  address: string;
  sites: SiteScope;
  [key: string]: unknown;
}

export interface ContactInput {
  name: string;
  channel: Channel;
  address: string;
  sites: SiteScope;
}

export interface MaintenanceTaskView {
  id: string;
  site: string;
  asset: string;
  name: string;
  recurrence: string | null;
  anchor: string | null;
  everyRunHours: number | null;
  runPoint: string | null;
  graceDays: number;
  lastDoneRunHours: number;
  /** Made from this alert (done once), not a schedule. */
  alertId: number | null;
  timezone: string;
}

export interface WorkItemView {
  id: number;
  taskId: string;
  taskName: string;
  site: string;
  asset: string;
  dueOn: string;
  state: 'open' | 'done';
  dueAtRunHours: number | null;
  completedAt: string | null;
  completedBy: string | null;
  note: string | null;
}

export interface FloorPlanView {
  site: string;
  floor: string;
  kind: 'svg' | 'grid';
  svg: string | null;
  updatedBy: string;
  updatedAt: string;
}
