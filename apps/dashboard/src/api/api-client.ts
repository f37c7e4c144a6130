import type { Bucket } from '@hallwatch/domain';
import type { BucketReading, RawReading, ReadingsQuery, ReadingsResponse, SiteDetail, SiteSummary } from './api-types';

/** The API refused the token (HTTP 401): the session is over. */
export class UnauthorisedError extends Error {
  constructor() {
    super('unauthorised');
    this.name = 'UnauthorisedError';
  }
}

/** Any other failed call: a status (0 when the server could not be reached) and the server's code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface PointAddress {
  asset: string;
  point: string;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

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

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'unreachable', error instanceof Error ? error.message : String(error));
    }
    if (response.status === 401) throw new UnauthorisedError();
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
      throw new ApiError(response.status, body.error ?? 'http-error', body.message ?? `HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }
}

function encodePath(segment: string): string {
  return segment.split('/').map(encodeURIComponent).join('/');
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
