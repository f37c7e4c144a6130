import type { ApiAnswer, ApiBody, ApiQuery } from './api-paths';

/**
 * Names for the REST API's answers and bodies the dashboard reads, each looked up in the types
 * generated from the OpenAPI document (./generated/openapi.ts): nothing here is declared by hand.
 */

type Readings = '/api/v1/sites/{site}/assets/{asset}/points/{point}/readings';

export type SiteSummary = ApiAnswer<'/api/v1/sites', 'get'>[number];
export type SiteDetail = ApiAnswer<'/api/v1/sites/{site}', 'get'>;
export type AssetInfo = SiteDetail['assets'][number];
export type PointInfo = AssetInfo['points'][number];
/** A chiller's points by what they measure (found by their Haystack tags on the server). */
export type ChillerPoints = SiteDetail['roles']['chillerPoints'][number];
/** A zone's points by what they measure (found by their Haystack tags on the server). */
export type ZonePoints = SiteDetail['roles']['zones'][number];

export type ReadingsResponse = ApiAnswer<Readings, 'get'>;
export type ReadingsQuery = ApiQuery<Readings, 'get'>;
type AnyReading = ReadingsResponse['readings'][number];
/** A row as the dashboard keeps it: the API's ISO 8601 `ts` read into epoch ms once, in ApiClient. */
export type WithEpochTs<Row extends { ts: string }> = Omit<Row, 'ts'> & { ts: number };
/** A stored reading (bucket `raw`). */
export type RawReading = WithEpochTs<Extract<AnyReading, { value: number }>>;
/** A rollup bucket, stamped at its start: 15 minutes on UTC quarter hours, hours and days on the site's clock. */
export type BucketReading = WithEpochTs<Extract<AnyReading, { count: number }>>;

/** GET /api/v1/sites/{site}/overview: the server's one definition of these numbers, shown as served. */
export type OverviewView = ApiAnswer<'/api/v1/sites/{site}/overview', 'get'>;
/** Of a period's whole quarter hours up to now, how many the main meters have data in. */
export type Coverage = OverviewView['energy']['today']['coverage'];
export type DemandLevel = NonNullable<OverviewView['demand']['quarter']['level']>;

/** An alert as GET /api/v1/alerts and the socket's `alert` events carry it. */
export type AlertView = ApiAnswer<'/api/v1/alerts', 'get'>[number];
export type AlertDetail = ApiAnswer<'/api/v1/alerts/{id}', 'get'>;
export type Severity = AlertView['severity'];
export type AlertState = AlertView['state'];

export type SavingsQuery = ApiQuery<'/api/v1/reports/savings', 'get'>;
export type SavingsReportView = ApiAnswer<'/api/v1/reports/savings', 'get'>;
export type Utility = NonNullable<SavingsQuery['utility']>;
export type ReportFormat = NonNullable<SavingsQuery['format']>;

/** Who a token is: name, role and sites. */
export type Me = ApiAnswer<'/api/v1/auth/me', 'get'>;
export type Role = Me['role'];
/** '*' for every site, or site keys. */
export type SiteScope = Me['sites'];
export const ROLE_NAMES = ['viewer', 'engineer', 'energy-officer', 'maintenance', 'admin'] as const satisfies readonly Role[];

export type UserView = ApiAnswer<'/api/v1/users', 'get'>[number];
export type UserInput = ApiBody<'/api/v1/users', 'post'>;
export type UserChange = ApiBody<'/api/v1/users/{name}', 'put'>;
export type TokenView = ApiAnswer<'/api/v1/tokens', 'get'>[number];
export type TokenInput = ApiBody<'/api/v1/tokens', 'post'>;
/** The answer to creating a token: the only time the token itself is seen. */
export type CreatedToken = ApiAnswer<'/api/v1/tokens', 'post'>;

export type StoredRuleView = ApiAnswer<'/api/v1/sites/{site}/alert-rules', 'get'>[number];
export type ContactView = ApiAnswer<'/api/v1/alert-contacts', 'get'>[number];
export type ContactInput = ApiBody<'/api/v1/alert-contacts/{id}', 'put'>;
export type Channel = ContactView['channel'];

export type MaintenanceTaskView = ApiAnswer<'/api/v1/maintenance/tasks', 'get'>[number];
export type WorkItemView = ApiAnswer<'/api/v1/maintenance/work-items', 'get'>[number];
export type FloorPlanView = ApiAnswer<'/api/v1/sites/{site}/floors/{floor}/plan', 'get'>;
export type FloorPlanInput = ApiBody<'/api/v1/sites/{site}/floors/{floor}/plan', 'put'>;
