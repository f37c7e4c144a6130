import type { Bucket } from '@hallwatch/domain';
import { fillPath, type ApiAnswer, type ApiBody, type ApiMethod, type ApiPath, type ApiPathParams, type ApiQuery } from './api-paths';
import type {
  BucketReading,
  ContactInput,
  FloorPlanInput,
  ReadingsQuery,
  ReportFormat,
  SavingsQuery,
  TokenInput,
  UserChange,
  UserInput,
  WithEpochTs,
} from './api-types';

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
  const body = (await response.json().catch(() => ({}))) as Partial<ApiAnswer<'/api/v1/auth/sign-in', 'post'>>;
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

  sites(signal?: AbortSignal) {
    return this.call('get', '/api/v1/sites', {}, signal);
  }

  site(siteKey: string, signal?: AbortSignal) {
    return this.call('get', '/api/v1/sites/{site}', { path: { site: siteKey } }, signal);
  }

  readings(siteKey: string, address: PointAddress, query: ReadingsQuery, signal?: AbortSignal) {
    const path = { site: siteKey, asset: address.asset, point: address.point };
    // Point keys may hold '/', which the server routes as path segments.
    return this.call('get', '/api/v1/sites/{site}/assets/{asset}/points/{point}/readings', { path, query, encode: encodePath }, signal);
  }

  /** Raw readings of a point in [from, to) (epoch ms), times as epoch ms. */
  async raw(siteKey: string, address: PointAddress, from: number, to: number, limit: number, signal?: AbortSignal) {
    const body = await this.readings(siteKey, address, { from: isoTime(from), to: isoTime(to), bucket: 'raw', limit }, signal);
    if (body.bucket !== 'raw') throw new ApiError(200, 'http-error', `raw readings asked for, ${body.bucket} buckets answered`);
    return { truncated: body.truncated, unit: body.unit, readings: body.readings.map(withEpochTs) };
  }

  /**
   * Rollup buckets of a point in [from, to) (epoch ms), times as epoch ms: every page of them (a
   * year of 15-minute buckets is more than one).
   */
  async rollups(siteKey: string, address: PointAddress, bucket: Exclude<Bucket, 'raw'>, from: number, to: number, signal?: AbortSignal) {
    const readings: BucketReading[] = [];
    let cursor: string | undefined;
    let unit = '';
    do {
      const body = await this.readings(siteKey, address, { from: isoTime(from), to: isoTime(to), bucket, cursor }, signal);
      if (body.bucket === 'raw') throw new ApiError(200, 'http-error', `${bucket} buckets asked for, raw readings answered`);
      unit = body.unit;
      readings.push(...body.readings.map(withEpochTs));
      cursor = body.next ?? undefined;
    } while (cursor);
    return { truncated: false, unit, readings };
  }

  /** Today's energy against yesterday and the baseline weekday, and the running 15-minute demand, as the server defines them. */
  overview(siteKey: string, signal?: AbortSignal) {
    return this.call('get', '/api/v1/sites/{site}/overview', { path: { site: siteKey } }, signal);
  }

  /** Ends this token's session on the server (a session token is revoked at once). */
  async signOut(): Promise<void> {
    await this.request('POST', '/api/v1/auth/sign-out');
  }

  /** The site's alerts that are not resolved, and the most recently resolved ones. */
  async alerts(siteKey: string, signal?: AbortSignal) {
    const list = (query: ApiQuery<'/api/v1/alerts', 'get'>) =>
      this.call('get', '/api/v1/alerts', { query: { site: siteKey, ...query } }, signal);
    const every = (query: ApiQuery<'/api/v1/alerts', 'get'>) =>
      this.allPages('/api/v1/alerts', { query: { site: siteKey, ...query } }, signal);
    // Every alert still to be handled, over as many pages as it takes; of the resolved, the newest page.
    const [open, acknowledged, resolved] = await Promise.all([
      every({ state: 'open' }),
      every({ state: 'acknowledged' }),
      list({ state: 'resolved', limit: 50 }),
    ]);
    return [...open, ...acknowledged, ...resolved];
  }

  alert(id: number, signal?: AbortSignal) {
    return this.call('get', '/api/v1/alerts/{id}', { path: { id } }, signal);
  }

  acknowledge(id: number, note?: string) {
    return this.call('post', '/api/v1/alerts/{id}/ack', { path: { id }, body: note ? { note } : {} });
  }

  resolve(id: number, note?: string) {
    return this.call('post', '/api/v1/alerts/{id}/resolve', { path: { id }, body: note ? { note } : {} });
  }

  comment(id: number, text: string) {
    return this.call('post', '/api/v1/alerts/{id}/comments', { path: { id }, body: { text } });
  }

  savings(query: SavingsQuery, signal?: AbortSignal) {
    return this.call('get', '/api/v1/reports/savings', { query: { ...query, format: 'json' } }, signal);
  }

  /** A report file (CSV, XLSX, PDF) with the name the server gave it. */
  async savingsFile(query: SavingsQuery, format: Exclude<ReportFormat, 'json'>): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.request('GET', `/api/v1/reports/savings?${queryString({ ...query, format })}`);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `savings.${format}`;
    return { blob: await response.blob(), fileName };
  }

  /** Who this token is: name, role and sites. */
  me(signal?: AbortSignal) {
    return this.call('get', '/api/v1/auth/me', {}, signal);
  }

  users(signal?: AbortSignal) {
    return this.call('get', '/api/v1/users', {}, signal);
  }

  createUser(user: UserInput) {
    return this.call('post', '/api/v1/users', { body: user });
  }

  updateUser(name: string, change: UserChange) {
    return this.call('put', '/api/v1/users/{name}', { path: { name }, body: change });
  }

  async disableUser(name: string): Promise<void> {
    await this.call('delete', '/api/v1/users/{name}', { path: { name } });
  }

  tokens(signal?: AbortSignal) {
    return this.call('get', '/api/v1/tokens', {}, signal);
  }

  createToken(token: TokenInput) {
    return this.call('post', '/api/v1/tokens', { body: token });
  }

  async revokeToken(id: number): Promise<void> {
    await this.call('delete', '/api/v1/tokens/{id}', { path: { id } });
  }

  alertRules(siteKey: string, signal?: AbortSignal) {
    return this.call('get', '/api/v1/sites/{site}/alert-rules', { path: { site: siteKey } }, signal);
  }

  putAlertRule(siteKey: string, id: string, rule: ApiBody<'/api/v1/sites/{site}/alert-rules/{id}', 'put'>, enabled: boolean) {
    return this.call('put', '/api/v1/sites/{site}/alert-rules/{id}', {
      path: { site: siteKey, id },
      query: { enabled: enabled ? 'true' : 'false' },
      body: rule,
    });
  }

  starterPack(siteKey: string) {
    return this.call('post', '/api/v1/sites/{site}/alert-rules/starter-pack', { path: { site: siteKey } });
  }

  contacts(signal?: AbortSignal) {
    return this.call('get', '/api/v1/alert-contacts', {}, signal);
  }

  putContact(id: string, contact: ContactInput) {
    return this.call('put', '/api/v1/alert-contacts/{id}', { path: { id }, body: contact });
  }

  async removeContact(id: string): Promise<void> {
    await this.call('delete', '/api/v1/alert-contacts/{id}', { path: { id } });
  }

  putSite(siteKey: string, site: ApiBody<'/api/v1/sites/{site}', 'put'>) {
    return this.call('put', '/api/v1/sites/{site}', { path: { site: siteKey }, body: site });
  }

  putAsset(siteKey: string, assetKey: string, asset: ApiBody<'/api/v1/sites/{site}/assets/{asset}', 'put'>) {
    return this.call('put', '/api/v1/sites/{site}/assets/{asset}', { path: { site: siteKey, asset: assetKey }, body: asset });
  }

  putPoint(
    siteKey: string,
    assetKey: string,
    pointKey: string,
    point: ApiBody<'/api/v1/sites/{site}/assets/{asset}/points/{point}', 'put'>,
  ) {
    const path = { site: siteKey, asset: assetKey, point: pointKey };
    return this.call('put', '/api/v1/sites/{site}/assets/{asset}/points/{point}', { path, body: point });
  }

  maintenanceTasks(siteKey: string, signal?: AbortSignal) {
    return this.call('get', '/api/v1/maintenance/tasks', { query: { site: siteKey } }, signal);
  }

  /** Every work item of the site in the state, over as many pages as it takes. */
  workItems(siteKey: string, state: 'open' | 'done', signal?: AbortSignal) {
    return this.allPages('/api/v1/maintenance/work-items', { query: { site: siteKey, state } }, signal);
  }

  completeWorkItem(id: number, note: string | null) {
    return this.call('post', '/api/v1/maintenance/work-items/{id}/complete', { path: { id }, body: { note } });
  }

  /** A work item for the alert's asset, due today, carrying the alert's text. */
  workItemFromAlert(alertId: number, note: string | null) {
    return this.call('post', '/api/v1/maintenance/work-items/from-alert/{alertId}', { path: { alertId }, body: { note } });
  }

  floorPlan(siteKey: string, floor: string, signal?: AbortSignal) {
    return this.call('get', '/api/v1/sites/{site}/floors/{floor}/plan', { path: { site: siteKey, floor } }, signal).catch(
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      },
    );
  }

  putFloorPlan(siteKey: string, floor: string, plan: FloorPlanInput) {
    return this.call('put', '/api/v1/sites/{site}/floors/{floor}/plan', { path: { site: siteKey, floor }, body: plan });
  }

  /**
   * A call of a route of the OpenAPI document: its path parameters, query and body are typed by the
   * route, and so is the answer (the JSON of its 200 or 201; undefined for a 204).
   */
  private async call<P extends ApiPath, M extends ApiMethod>(
    method: M,
    path: P,
    parts: CallParts<P, M>,
    signal?: AbortSignal,
  ): Promise<ApiAnswer<P, M>> {
    const filled = fillPath(path, parts.path ?? {}, parts.encode);
    const query = parts.query ? queryString(parts.query) : '';
    const response = await this.request(method.toUpperCase(), query ? `${filled}?${query}` : filled, parts.body, signal);
    if (response.status === 204) return undefined as ApiAnswer<P, M>;
    return (await response.json()) as ApiAnswer<P, M>;
  }

  /**
   * Every page of a list the API answers as an array: the next page is the `Link: <…>; rel="next"`
   * header's `cursor`, absent on the last page.
   */
  private async allPages<P extends ListPath>(path: P, parts: CallParts<P, 'get'>, signal?: AbortSignal): Promise<ApiAnswer<P, 'get'>> {
    const rows: unknown[] = [];
    let cursor: string | null = null;
    do {
      const query = queryString({ ...(parts.query as object | undefined), ...(cursor === null ? {} : { cursor }) });
      const response = await this.request('GET', `${fillPath(path, parts.path ?? {})}?${query}`, undefined, signal);
      rows.push(...((await response.json()) as unknown[]));
      cursor = nextCursor(response.headers.get('link'));
    } while (cursor !== null);
    return rows as ApiAnswer<P, 'get'>;
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

/** What a call of a route sends besides its method and path; `encode` encodes each path parameter. */
interface CallParts<P extends ApiPath, M extends ApiMethod> {
  path?: ApiPathParams<P, M>;
  query?: ApiQuery<P, M>;
  body?: ApiBody<P, M>;
  encode?: (segment: string) => string;
}

/** The lists the API pages with a `Link` header (an array answer and a `cursor` parameter). */
type ListPath = {
  [P in ApiPath]: ApiQuery<P, 'get'> extends { cursor?: string } ? (ApiAnswer<P, 'get'> extends unknown[] ? P : never) : never;
}[ApiPath];

/** The `cursor` of the `rel="next"` link of a Link header (RFC 8288), or null when there is none. */
export function nextCursor(link: string | null): string | null {
  const target = link && /<([^>]*)>\s*;\s*rel="?next"?/.exec(link)?.[1];
  return target ? new URL(target, 'http://origin').searchParams.get('cursor') : null;
}

/** The query string of the parameters that are set, in the order given. */
function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params.set(name, String(value));
  }
  return params.toString();
}

const isoTime = (epochMs: number) => new Date(epochMs).toISOString();

/** The API's times are ISO 8601; the dashboard computes with epoch ms. */
function withEpochTs<Row extends { ts: string }>(row: Row): WithEpochTs<Row> {
  return { ...row, ts: Date.parse(row.ts) };
}

function encodePath(segment: string): string {
  return segment.split('/').map(encodeURIComponent).join('/');
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
