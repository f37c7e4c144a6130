import type { paths } from './generated/openapi';

/**
 * Types of a route of the REST API looked up by its path and method in the generated OpenAPI types
 * (./generated/openapi.ts, `npm run build:api-types`), so that an answer the server changes is a
 * type error here rather than a surprise in the browser.
 */

export type ApiPath = keyof paths;
export type ApiMethod = 'get' | 'put' | 'post' | 'delete';

/** The operation of a path and method (never when the route has no such method). */
type Operation<P extends ApiPath, M extends ApiMethod> = Exclude<paths[P][M], undefined>;

type JsonContent<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON a successful call answers: its 200, or its 201 when it creates. */
export type ApiAnswer<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { responses: infer Responses }
    ? Responses extends { 200: infer Ok }
      ? JsonContent<Ok>
      : Responses extends { 201: infer Created }
        ? JsonContent<Created>
        : never
    : never;

/** The JSON body a call sends. */
export type ApiBody<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { requestBody?: infer Body } ? JsonContent<Exclude<Body, undefined>> : never;

/** The query parameters a call takes. */
export type ApiQuery<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { parameters: { query?: infer Query } } ? Exclude<Query, undefined> : never;

/** The path parameters a call takes ({site}, {id}, ...). */
export type ApiPathParams<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { parameters: { path: infer Params } } ? Params : Record<string, never>;

/** A path with its `{name}` parameters filled in, each encoded by `encode`. */
export function fillPath(path: string, params: object, encode: (segment: string) => string = encodeURIComponent): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value: unknown = (params as Record<string, unknown>)[name];
    if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`no value for {${name}} in ${path}`);
    return encode(String(value));
  });
}
