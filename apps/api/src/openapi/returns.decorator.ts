import { SetMetadata } from '@nestjs/common';
import { AnySchema } from './json-schema';

export const RETURNS_METADATA = 'hallwatch:openapi-returns';

/** What a route answers besides its errors, for the OpenAPI document (openapi-document.ts). */
export interface RouteReturns {
  /** The JSON body of the success answer; null for an answer that is not JSON (see contentType) or has no body. */
  schema: AnySchema | null;
  /** A success answer that is not JSON, e.g. `text/plain; version=0.0.4` (described as text). */
  contentType?: string;
  description?: string;
  /** Headers of the success answer, as OpenAPI header objects (a list's `Link` to its next page). */
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
  /** A typical answer, shown in the document. */
  example?: unknown;
  /** Error statuses the route can give beyond those every route of its kind gives (400, 401, 403, 404, 500). */
  errors?: number[];
  /** An error status whose body is not a problem (GET /health's 503 is its readiness report). */
  errorBodies?: Record<number, AnySchema>;
}

/**
 * Documents the success answer of a route with the zod schema of its JSON, e.g.
 * `@Returns(z.array(alertSchema), { example: [...] })`. Every route needs one (the contract test
 * in test/api/openapi-contract.test.ts fails without), except 204 routes, which answer no body.
 */
export const Returns = (schema: AnySchema | null, options: Omit<RouteReturns, 'schema'> = {}) =>
  SetMetadata<string, RouteReturns>(RETURNS_METADATA, { schema, ...options });
