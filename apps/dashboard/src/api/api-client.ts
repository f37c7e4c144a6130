import type { Bucket } from '@hallwatch/domain';
import type {
  AlertDetail,
  AlertView,
  BucketReading,
  OverviewView,
  RawReading,
  ReadingsQuery,
  ReadingsResponse,
  ReportFormat,
  SavingsQuery,
  SavingsReportView,
  SiteDetail,
  SiteSummary,
} from './api-types';
import type {
  ContactInput,
  ContactView,
  CreatedToken,
  FloorPlanView,
  MaintenanceTaskView,
  Me,
  Role,
  SiteScope,
  StoredRuleView,
  TokenView,
  UserView,
  WorkItemView,
} from './admin-types';

/** The API refused the token (HTTP 401): the session is over. */
export class UnauthorisedError extends Error {
  constructor() {
    super('unauthorised');
    this.name = 'UnauthorisedError';
  }
}

/**
 * Any other failed call: a status (0 when the server could not be reached), the server's code (the
 * last part of the problem's type, e.g. `invalid-input`), its detail as the message, and the refused
 * fields of a validation problem.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server answers every error as an RFC 9457 problem (application/problem+json). */
interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
}

const PROBLEM_TYPE_PREFIX = 'urn:hallwatch:problem:';

/** An ApiError from a failed response's problem body (or its status alone when the body is not one). */
async function errorOfResponse(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => ({}))) as Problem;
  const code = problem.type?.startsWith(PROBLEM_TYPE_PREFIX) ? problem.type.slice(PROBLEM_TYPE_PREFIX.length) : 'http-error';
  return new ApiError(response.status, code, problem.detail ?? problem.title ?? `HTTP ${response.status}`, problem.errors ?? []);
}

export interface PointAddress {
  asset: string;
  point: string;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Signs in with a name and password: a session token, or null when they are wrong. A 429 (too many
 * attempts) and other failures are thrown as ApiError.
 */
export async function signInWithPassword(
  name: string,
  password: string,
  fetchImpl: FetchLike = (input, init) => fetch(input, init),
): Promise<string | null> {
  let response: Response;
  try {
    response = await fetchImpl('/api/v1/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name, password }),
    });
  } catch (error) {
    throw new ApiError(0, 'unreachable', error instanceof Error ? error.message : String(error));
  }
  if (response.status === 401) return null;
  if (!response.ok) throw await errorOfResponse(response);
  const body = (await response.json().catch(() => ({}))) as { token?: string };
  if (!body.token) throw new ApiError(response.status, 'http-error', 'the sign-in answer holds no token');
  return body.token;
}

/** The REST API of the same origin, authenticated with a bearer token. */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
    private readonly baseUrl = '',
  ) {}

  sites(signal?: AbortSignal): Promise<SiteSummary[]> {
    return this.get<SiteSummary[]>('/api/v1/sites', signal);
  }

  site(siteKey: string, signal?: AbortSignal): Promise<SiteDetail> {
    return this.get<SiteDetail>(`/api/v1/sites/${encodeURIComponent(siteKey)}`, signal);
  }

  readings(siteKey: string, address: PointAddress, query: ReadingsQuery, signal?: AbortSignal): Promise<ReadingsResponse> {
    const params = new URLSearchParams({ from: String(query.from), to: String(query.to), bucket: query.bucket });
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const path = ['api/v1/sites', siteKey, 'assets', address.asset, 'points', address.point, 'readings'].map(encodePath).join('/');
    return this.get<ReadingsResponse>(`/${path}?${params.toString()}`, signal);
  }

  /** Raw readings of a point in [from, to). */
  async raw(siteKey: string, address: PointAddress, from: number, to: number, limit: number, signal?: AbortSignal) {
    const body = await this.readings(siteKey, address, { from, to, bucket: 'raw', limit }, signal);
    return { truncated: body.truncated, unit: body.unit, readings: body.readings as RawReading[] };
  }

  /** Rollup buckets of a point in [from, to). */
  async rollups(siteKey: string, address: PointAddress, bucket: Exclude<Bucket, 'raw'>, from: number, to: number, signal?: AbortSignal) {
    const body = await this.readings(siteKey, address, { from, to, bucket }, signal);
    return { truncated: body.truncated, unit: body.unit, readings: body.readings as BucketReading[] };
  }

  /** Today's energy against yesterday and the baseline weekday, and the running 15-minute demand, as the server defines them. */
  overview(siteKey: string, signal?: AbortSignal): Promise<OverviewView> {
    return this.get<OverviewView>(`/api/v1/sites/${encodeURIComponent(siteKey)}/overview`, signal);
  }

  /** Ends this token's session on the server (a session token is revoked at once). */
  async signOut(): Promise<void> {
    await this.request('POST', '/api/v1/auth/sign-out');
  }

  /** The site's alerts that are not resolved, and the most recently resolved ones. */
  async alerts(siteKey: string, signal?: AbortSignal): Promise<AlertView[]> {
    const site = encodeURIComponent(siteKey);
    const [open, acknowledged, resolved] = await Promise.all([
      this.get<AlertView[]>(`/api/v1/alerts?site=${site}&state=open`, signal),
      this.get<AlertView[]>(`/api/v1/alerts?site=${site}&state=acknowledged`, signal),
      this.get<AlertView[]>(`/api/v1/alerts?site=${site}&state=resolved&limit=50`, signal),
    ]);
    return [...open, ...acknowledged, ...resolved];
  }

  alert(id: number, signal?: AbortSignal): Promise<AlertDetail> {
    return this.get<AlertDetail>(`/api/v1/alerts/${id}`, signal);
  }

  acknowledge(id: number, note?: string): Promise<AlertView> {
    return this.send<AlertView>('POST', `/api/v1/alerts/${id}/ack`, note ? { note } : {});
  }

  resolve(id: number, note?: string): Promise<AlertView> {
    return this.send<AlertView>('POST', `/api/v1/alerts/${id}/resolve`, note ? { note } : {});
  }

  comment(id: number, text: string): Promise<unknown> {
    return this.send('POST', `/api/v1/alerts/${id}/comments`, { text });
  }

  savings(query: SavingsQuery, signal?: AbortSignal): Promise<SavingsReportView> {
    return this.get<SavingsReportView>(`/api/v1/reports/savings?${savingsParams(query, 'json')}`, signal);
  }

  /** A report file (CSV, XLSX, PDF) with the name the server gave it. */
  async savingsFile(query: SavingsQuery, format: Exclude<ReportFormat, 'json'>): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.request('GET', `/api/v1/reports/savings?${savingsParams(query, format)}`);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `savings.${format}`;
    return { blob: await response.blob(), fileName };
  }

  /** Who this token is: name, role and sites. */
  me(signal?: AbortSignal): Promise<Me> {
    return this.get<Me>('/api/v1/auth/me', signal);
  }

  users(signal?: AbortSignal): Promise<UserView[]> {
    return this.get<UserView[]>('/api/v1/users', signal);
  }

  createUser(user: { name: string; password: string; role: Role; sites: SiteScope }): Promise<UserView> {
    return this.send<UserView>('POST', '/api/v1/users', user);
  }

  updateUser(name: string, change: { role?: Role; sites?: SiteScope; password?: string; enabled?: true }): Promise<UserView> {
    return this.send<UserView>('PUT', `/api/v1/users/${encodeURIComponent(name)}`, change);
  }

  async disableUser(name: string): Promise<void> {
    await this.request('DELETE', `/api/v1/users/${encodeURIComponent(name)}`);
  }

  tokens(signal?: AbortSignal): Promise<TokenView[]> {
    return this.get<TokenView[]>('/api/v1/tokens', signal);
  }

  createToken(token: { name: string; role: Role; sites: SiteScope }): Promise<CreatedToken> {
    return this.send<CreatedToken>('POST', '/api/v1/tokens', token);
  }

  async revokeToken(id: number): Promise<void> {
    await this.request('DELETE', `/api/v1/tokens/${id}`);
  }

  alertRules(siteKey: string, signal?: AbortSignal): Promise<StoredRuleView[]> {
    return this.get<StoredRuleView[]>(`/api/v1/sites/${encodeURIComponent(siteKey)}/alert-rules`, signal);
  }

  putAlertRule(siteKey: string, id: string, rule: object, enabled: boolean): Promise<StoredRuleView> {
    const path = `/api/v1/sites/${encodeURIComponent(siteKey)}/alert-rules/${encodeURIComponent(id)}?enabled=${enabled}`;
    return this.send<StoredRuleView>('PUT', path, rule);
  }

  starterPack(siteKey: string): Promise<{ added: number; rules: string[] }> {
    return this.send('POST', `/api/v1/sites/${encodeURIComponent(siteKey)}/alert-rules/starter-pack`, {});
  }

  contacts(signal?: AbortSignal): Promise<ContactView[]> {
    return this.get<ContactView[]>('/api/v1/alert-contacts', signal);
  }

  putContact(id: string, contact: ContactInput): Promise<ContactView> {
    return this.send<ContactView>('PUT', `/api/v1/alert-contacts/${encodeURIComponent(id)}`, contact);
  }

  async removeContact(id: string): Promise<void> {
    await this.request('DELETE', `/api/v1/alert-contacts/${encodeURIComponent(id)}`);
  }

  putSite(siteKey: string, site: object): Promise<SiteDetail> {
    return this.send<SiteDetail>('PUT', `/api/v1/sites/${encodeURIComponent(siteKey)}`, site);
  }

  putAsset(siteKey: string, assetKey: string, asset: object): Promise<SiteDetail> {
    return this.send<SiteDetail>('PUT', `/api/v1/sites/${encodeURIComponent(siteKey)}/assets/${encodeURIComponent(assetKey)}`, asset);
  }

  putPoint(siteKey: string, assetKey: string, pointKey: string, point: object): Promise<SiteDetail> {
    const path = [siteKey, 'assets', assetKey, 'points', pointKey].map(encodeURIComponent).join('/');
    return this.send<SiteDetail>('PUT', `/api/v1/sites/${path}`, point);
  }

  maintenanceTasks(siteKey: string, signal?: AbortSignal): Promise<MaintenanceTaskView[]> {
    return this.get<MaintenanceTaskView[]>(`/api/v1/maintenance/tasks?site=${encodeURIComponent(siteKey)}`, signal);
  }

  workItems(siteKey: string, state: 'open' | 'done', signal?: AbortSignal): Promise<WorkItemView[]> {
    return this.get<WorkItemView[]>(`/api/v1/maintenance/work-items?site=${encodeURIComponent(siteKey)}&state=${state}`, signal);
  }

  completeWorkItem(id: number, note: string | null): Promise<WorkItemView> {
    return this.send<WorkItemView>('POST', `/api/v1/maintenance/work-items/${id}/complete`, { note });
  }

  /** A work item for the alert's asset, due today, carrying the alert's text. */
  workItemFromAlert(alertId: number, note: string | null): Promise<WorkItemView> {
    return this.send<WorkItemView>('POST', `/api/v1/maintenance/work-items/from-alert/${alertId}`, { note });
  }

  floorPlan(siteKey: string, floor: string, signal?: AbortSignal): Promise<FloorPlanView | null> {
    return this.get<FloorPlanView | null>(
      `/api/v1/sites/${encodeURIComponent(siteKey)}/floors/${encodeURIComponent(floor)}/plan`,
      signal,
    ).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    });
  }

  putFloorPlan(siteKey: string, floor: string, plan: { kind: 'svg' | 'grid'; svg?: string }): Promise<FloorPlanView> {
    return this.send<FloorPlanView>('PUT', `/api/v1/sites/${encodeURIComponent(siteKey)}/floors/${encodeURIComponent(floor)}/plan`, plan);
  }

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return (await (await this.request('GET', path, undefined, signal)).json()) as T;
  }

  private async send<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
    return (await (await this.request(method, path, body)).json()) as T;
  }

  private async request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'unreachable', error instanceof Error ? error.message : String(error));
    }
    if (response.status === 401) throw new UnauthorisedError();
    if (!response.ok) throw await errorOfResponse(response);
    return response;
  }
}

function savingsParams(query: SavingsQuery, format: ReportFormat): string {
  return new URLSearchParams({ ...query, baselineYear: String(query.baselineYear), format }).toString();
}

function encodePath(segment: string): string {
  return segment.split('/').map(encodeURIComponent).join('/');
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
