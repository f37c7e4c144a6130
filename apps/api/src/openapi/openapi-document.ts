import { RequestMethod, Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { IS_PUBLIC, PROBLEM_CONTENT_TYPE } from '@hallwatch/core';
import { JsonSchema, jsonSchemaOf } from './json-schema';
import { problemExample, problemSchema, STATUS_DESCRIPTIONS } from './problem.schema';
import { RETURNS_METADATA, RouteReturns } from './returns.decorator';
import { routeInputs } from './route-inputs';

export interface DocumentOptions {
  /** The global prefix (api/v1) and the routes served without it (health, metrics). */
  prefix: string;
  unprefixed: string[];
  title: string;
  version: string;
  description: string;
  /** Success answers of handlers that cannot carry @Returns (served from libs), by `Controller.method`. */
  externalReturns?: Record<string, RouteReturns>;
}

/** The metadata keys of @nestjs/swagger's decorators (its constants are not exported). */
const DECORATORS = {
  API_OPERATION: 'swagger/apiOperation',
  API_TAGS: 'swagger/apiUseTags',
  API_PARAMETERS: 'swagger/apiParameters',
  API_PRODUCES: 'swagger/apiProduces',
  API_RESPONSE: 'swagger/apiResponse',
};

type Operation = Record<string, unknown> & { responses: Record<string, Record<string, unknown>> };

/** Well-known path parameters: what they name, and an example. */
const PATH_PARAMETERS: Record<string, { description: string; example: string }> = {
  site: { description: 'site key', example: 'demo-city-hall' },
  asset: { description: 'asset key', example: 'main-incomer' },
  point: { description: 'point key', example: 'kW' },
};

const HTTP_METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

/**
 * The OpenAPI 3.1 document of the given controllers, read from what validates and answers: path
 * parameters, query and body from the zod schemas of their pipes (route-inputs.ts), the success
 * answer from @Returns, error answers as RFC 9457 problems. Summaries and descriptions come from
 * @ApiOperation, tags from @ApiTags.
 */
export function buildOpenApiDocument(controllers: Array<Type<unknown>>, options: DocumentOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const controller of controllers) {
    for (const method of handlerNames(controller)) {
      const handler = (controller.prototype as Record<string, object>)[method];
      const httpMethod = HTTP_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      if (!httpMethod) continue;
      for (const path of routePaths(controller, handler, options)) {
        const returns =
          (Reflect.getMetadata(RETURNS_METADATA, handler) as RouteReturns | undefined) ??
          options.externalReturns?.[`${controller.name}.${method}`];
        (paths[path] ??= {})[httpMethod] = operation(controller, method, handler, path, httpMethod, returns);
      }
    }
  }
  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((path) => [path, paths[path]]),
  );
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, description: options.description },
    paths: sortedPaths,
    components: {
      schemas: { Problem: jsonSchemaOf(problemSchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API token or a session token from /auth/sign-in' } },
    },
  };
}

function handlerNames(controller: Type<unknown>): string[] {
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).filter(
    (name) =>
      name !== 'constructor' && typeof prototype[name] === 'function' && Reflect.hasMetadata(PATH_METADATA, prototype[name] as object),
  );
}

/** The handler's full paths in OpenAPI form (`/api/v1/sites/{site}`). */
export function routePaths(controller: Type<unknown>, handler: object, options: Pick<DocumentOptions, 'prefix' | 'unprefixed'>): string[] {
  const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, controller));
  const handlerPaths = asList(Reflect.getMetadata(PATH_METADATA, handler));
  return controllerPaths.flatMap((base) =>
    handlerPaths.map((own) => {
      const route = [base, own].map(trimSlashes).filter(Boolean).join('/');
      const full = options.unprefixed.includes(route) ? route : [options.prefix, route].filter(Boolean).join('/');
      return `/${full}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    }),
  );
}

function asList(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/g, '');

function operation(
  controller: Type<unknown>,
  method: string,
  handler: object,
  path: string,
  httpMethod: string,
  returns: RouteReturns | undefined,
): Operation {
  const summary = (Reflect.getMetadata(DECORATORS.API_OPERATION, handler) ?? {}) as { summary?: string; description?: string };
  const tags = (Reflect.getMetadata(DECORATORS.API_TAGS, handler) ??
    Reflect.getMetadata(DECORATORS.API_TAGS, controller) ??
    []) as string[];
  const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) === true || Reflect.getMetadata(IS_PUBLIC, controller) === true;
  const inputs = routeInputs(controller, method);
  const documented = documentedQueries(handler);

  const pathNames = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const parameters: Array<Record<string, unknown>> = pathNames.map((name) => ({
    name,
    in: 'path',
    required: true,
    ...(PATH_PARAMETERS[name] ? { description: PATH_PARAMETERS[name].description, example: PATH_PARAMETERS[name].example } : {}),
    schema: inputs.params.get(name) ?? { type: 'string' },
  }));
  if (inputs.query)
    parameters.push(...queryParameters(inputs.query.schema ? jsonSchemaOf(inputs.query.schema, 'input') : null, documented));

  const result: Operation = {
    operationId: `${controller.name.replace(/Controller$/, '')}_${method}`,
    ...(summary.summary ? { summary: summary.summary } : {}),
    ...(summary.description ? { description: summary.description } : {}),
    tags,
    ...(isPublic ? { security: [] } : { security: [{ bearer: [] }] }),
    parameters,
    responses: {},
  };
  if (inputs.body) {
    const schema = inputs.body.schema ? jsonSchemaOf(inputs.body.schema, 'input') : undefined;
    result.requestBody = {
      required: inputs.body.schema ? !inputs.body.schema.isOptional() : true,
      content: { 'application/json': schema ? { schema } : {} },
    };
  }
  result.responses = responses(handler, httpMethod, returns, {
    validates: Boolean(inputs.query || inputs.body || [...inputs.params.values()].some(Boolean)),
    isPublic,
    hasPathParameters: pathNames.length > 0,
  });
  return result;
}

/** Query parameters from the query's JSON schema; a route's own @ApiQuery description goes before its schema's generic one. */
function queryParameters(schema: JsonSchema | null, documented: Map<string, Record<string, unknown>>): Array<Record<string, unknown>> {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const description = (documented.get(name)?.description as string | undefined) ?? (property.description as string | undefined);
    return { name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: property };
  });
}

function documentedQueries(handler: object): Map<string, Record<string, unknown>> {
  const parameters = (Reflect.getMetadata(DECORATORS.API_PARAMETERS, handler) ?? []) as Array<Record<string, unknown>>;
  return new Map(parameters.filter((parameter) => parameter.in === 'query').map((parameter) => [parameter.name as string, parameter]));
}

function responses(
  handler: object,
  httpMethod: string,
  returns: RouteReturns | undefined,
  route: { validates: boolean; isPublic: boolean; hasPathParameters: boolean },
): Operation['responses'] {
  const status = (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (httpMethod === 'post' ? 201 : 200);
  const produces = ((Reflect.getMetadata(DECORATORS.API_PRODUCES, handler) ?? []) as string[]).filter(
    (type) => type !== 'application/json',
  );
  const result: Operation['responses'] = {};
  if (status === 204) result['204'] = { description: returns?.description ?? 'Done; no body' };
  else {
    const content: Record<string, unknown> = {};
    if (returns?.schema) {
      content['application/json'] = {
        schema: jsonSchemaOf(returns.schema, 'output'),
        ...(returns.example !== undefined ? { example: returns.example } : {}),
      };
    }
    if (returns?.contentType) content[returns.contentType] = { schema: { type: 'string' } };
    for (const type of produces) content[type] = { schema: { type: 'string', contentMediaType: type } };
    result[String(status)] = {
      description: returns?.description ?? 'OK',
      ...(returns?.headers ? { headers: returns.headers } : {}),
      ...(Object.keys(content).length > 0 ? { content } : {}),
    };
  }
  const declared = Object.keys((Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Record<string, unknown>).map(Number);
  const errors = new Set<number>([...(returns?.errors ?? []), ...declared.filter((code) => code >= 400)]);
  if (route.validates) errors.add(400);
  if (!route.isPublic) [401, 403].forEach((code) => errors.add(code));
  if (route.hasPathParameters) errors.add(404);
  errors.add(500);
  for (const code of [...errors].sort()) {
    const ownBody = returns?.errorBodies?.[code];
    if (ownBody) {
      result[String(code)] = {
        description: STATUS_DESCRIPTIONS[code] ?? `HTTP ${code}`,
        content: { 'application/json': { schema: jsonSchemaOf(ownBody, 'output') } },
      };
      continue;
    }
    result[String(code)] = {
      description: STATUS_DESCRIPTIONS[code] ?? `HTTP ${code}`,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_REF }, example: problemExample(code) } },
    };
  }
  return result;
}

/** Every error answer is this one schema, kept once under components. */
export const PROBLEM_REF = '#/components/schemas/Problem';
