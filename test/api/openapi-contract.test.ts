import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ApiModule } from '@hallwatch/api';
import { API_PREFIX, UNPREFIXED_ROUTES } from '@hallwatch/core';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';
import { servedControllers } from '../../apps/api/src/openapi/api-document';
import { routePaths } from '../../apps/api/src/openapi/openapi-document';
import { routeInputs } from '../../apps/api/src/openapi/route-inputs';

type Schema = Record<string, unknown>;
type MediaType = { schema?: Schema; example?: unknown };
type Response = { content?: Record<string, MediaType> };
type Operation = {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, Response>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

const SITE = 'contract-hall';
/** Nest's RequestMethod, by its number. */
const REQUEST_METHODS = ['get', 'post', 'put', 'delete', 'patch'];

/**
 * The OpenAPI document against the running api: every route the Nest router serves is in it with
 * its path parameters, query, body and answers described by schemas, and real answers (successes
 * and problems) validate against those schemas.
 */
describe('OpenAPI contract (#18 items 1, 2)', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let document: Document;

  const call = async (method: string, path: string, body?: unknown, token: string | null = env.HALLWATCH_API_TOKEN) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const parsed = text && /json/.test(contentType) ? (JSON.parse(text) as unknown) : text;
    return { status: response.status, contentType, text, body: parsed };
  };

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    const temp = { key: 'temp', kind: 'gauge' as const, unit: '°C', tags: ['temp'], attributes: {} };
    const zone = { key: 'zone-2f', name: '2F', type: 'zone', tags: ['zone'], attributes: { floor: '2F' }, points: [temp] };
    const site = testSite(SITE);
    env = isolatedEnv([{ ...site, assets: [...site.assets, zone] }], { DATABASE_URL: databaseUrl });
    running = await startApp(ApiModule, env);
    document = (await call('GET', '/api/docs/openapi.json', undefined, null)).body as Document;
  });

  afterAll(async () => {
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('is OpenAPI 3.1 and lists every route the router serves', () => {
    expect(document.openapi).toBe('3.1.0');
    const express = running.app.getHttpAdapter().getInstance() as {
      router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
    };
    const missing: string[] = [];
    // Middleware (logging, static files) is mounted for every method at once; a route has one. The
    // dashboard's files (`{*any}`) and the document's own pages are not API routes.
    const routes = express.router.stack.filter((layer) => layer.route && Object.keys(layer.route.methods).length === 1);
    for (const { route } of routes) {
      if (!route!.path.startsWith('/') || route!.path.startsWith('/api/docs')) continue;
      const path = route!.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const method = Object.keys(route!.methods)[0];
      if (!document.paths[path]?.[method]) missing.push(`${method.toUpperCase()} ${path}`);
    }
    expect(routes.length).toBeGreaterThan(70);
    expect(missing).toEqual([]);
  });

  it('describes each route: path parameters, query and body with schemas, the success answer and every error as a problem', () => {
    const gaps: string[] = [];
    for (const controller of servedControllers(running.app)) {
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[method];
        if (method === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata('path', handler)) continue;
        const verb = REQUEST_METHODS[Reflect.getMetadata('method', handler) as number];
        if (!verb) continue;
        for (const path of routePaths(controller, handler, { prefix: API_PREFIX, unprefixed: UNPREFIXED_ROUTES })) {
          const route = `${verb.toUpperCase()} ${path} (${controller.name}.${method})`;
          const operation = document.paths[path]?.[verb];
          if (!operation) {
            gaps.push(`${route}: not in the document`);
            continue;
          }
          gaps.push(...operationGaps(route, operation, path, controller, method));
        }
      }
    }
    expect(gaps).toEqual([]);
  });

  it('answers as the document says: a sample of successes and problems validates against their schemas', async () => {
    const viewer = (await call('POST', '/api/v1/tokens', { name: 'contract viewer', role: 'viewer', sites: [SITE] })).body as {
      token: string;
    };
    const site = `/api/v1/sites/${SITE}`;
    const samples: Array<[method: string, path: string, body?: unknown, token?: string | null]> = [
      ['GET', '/health/live'],
      ['GET', '/health', undefined, null],
      ['GET', '/metrics'],
      ['GET', '/api/v1/auth/me'],
      ['POST', '/api/v1/users', { name: 'contract.user', password: 'a long password', role: 'engineer', sites: [SITE] }],
      ['POST', '/api/v1/auth/sign-in', { name: 'contract.user', password: 'a long password' }, null],
      ['POST', '/api/v1/auth/sign-in', { name: 'contract.user', password: 'wrong password' }, null],
      ['GET', '/api/v1/users'],
      ['PUT', '/api/v1/users/contract.user', { role: 'viewer' }],
      ['GET', '/api/v1/tokens?includeInactive=true'],
      ['GET', '/api/v1/audit?limit=5'],
      ['GET', '/api/v1/sites'],
      ['GET', site],
      ['PUT', `${site}/assets/pump-1`, { name: 'Pump 1', type: 'pump', points: [{ key: 'running', kind: 'status', unit: '' }] }],
      ['GET', `${site}/assets/main-incomer/points/kWh/replacements`],
      ['POST', `${site}/assets/main-incomer/points/kWh/replacements`, { at: '2026-11-01T00:00:00Z', startValue: 12, note: 'new meter' }],
      ['GET', `${site}/assets/main-incomer/points/kW/readings?from=2026-11-30&to=2026-12-01`],
      ['GET', `${site}/assets/main-incomer/points/kW/readings?bucket=1h&from=2026-11-30&to=2026-12-01`],
      ['GET', `${site}/consumption?utility=electricity&from=2026-11-30&to=2026-12-01`],
      ['GET', `${site}/demand?from=2026-11-30&to=2026-12-01`],
      ['GET', `${site}/overview`],
      ['POST', `${site}/alert-rules/starter-pack`],
      ['GET', '/api/v1/alert-rules'],
      ['GET', `${site}/alert-rules`],
      ['GET', '/api/v1/alerts?state=open'],
      ['PUT', '/api/v1/alert-contacts/crew-mail', { name: 'Crew', channel: 'email', address: 'crew@example.org', sites: [SITE] }],
      ['GET', '/api/v1/alert-contacts'],
      ['PUT', `/api/v1/escalation-policies/${SITE}`, { levels: [{ afterSeconds: 0, contacts: ['crew-mail'] }] }],
      ['GET', '/api/v1/escalation-policies'],
      ['GET', '/api/v1/notifications?state=failed'],
      [
        'PUT',
        '/api/v1/maintenance/tasks/filters',
        { site: SITE, asset: 'chiller-1', name: 'Filters', recurrence: 'monthly', anchor: '2026-01-05' },
      ],
      ['GET', '/api/v1/maintenance/tasks'],
      ['GET', '/api/v1/maintenance/work-items?state=open'],
      ['PUT', `${site}/floors/2F/plan`, { kind: 'grid' }],
      ['GET', `${site}/floors/2F/plan`],
      [
        'POST',
        `${site}/savings/adjustments`,
        { utility: 'electricity', kind: 'exclude', startsOn: '2026-01-01', endsOn: '2026-01-03', reason: 'move' },
      ],
      ['GET', `${site}/savings/adjustments`],
      ['POST', `${site}/savings/measures`, { utility: 'electricity', name: 'LED', installedOn: '2026-02-01', estimatedPerYear: 12000 }],
      ['GET', `${site}/savings/measures?includeRetired=true`],
      ['PUT', `${site}/savings/targets/electricity`, { baselineYear: 2024 }],
      ['GET', `${site}/savings/targets/electricity`],
      ['GET', '/api/v1/emission-factors'],
      ['GET', '/api/v1/tariffs'],
      ['GET', `/api/v1/reports/savings?site=${SITE}&from=2026-11-01&to=2026-12-01&baselineYear=2024`],
      ['POST', '/api/v1/reports/schedules', { params: { site: SITE }, cadence: 'monthly', recipients: ['officer@example.org'] }],
      ['GET', '/api/v1/reports/schedules'],
      ['GET', '/api/v1/reports'],
      ['GET', '/api/v1/ingest/dead-letters'],
      ['GET', '/api/v1/ingest/dead-letters/summary'],
      ['GET', '/api/v1/ingest/ledger'],
      // problems
      ['GET', '/api/v1/sites', undefined, null],
      ['GET', '/api/v1/alerts?limit=0'],
      ['GET', '/api/v1/sites/nowhere'],
      ['PUT', site, { name: 'Renamed' }, viewer.token],
      ['POST', '/api/v1/alerts/999999/ack', {}],
      ['PUT', `${site}/assets/pump-2`, { name: 'Pump 2', type: 'pump', points: [{ key: 'x', kind: 'nonsense', unit: 'kW' }] }],
    ];
    const invalid: string[] = [];
    const statuses = new Set<number>();
    for (const [method, path, body, token] of samples) {
      const answer = await call(method, path, body, token === undefined ? env.HALLWATCH_API_TOKEN : token);
      statuses.add(answer.status);
      const problem = validatorFor(method, path, answer.status, answer.contentType);
      if (typeof problem === 'string') invalid.push(`${method} ${path} -> ${answer.status}: ${problem}`);
      else if (problem && !problem(answer.body)) {
        invalid.push(`${method} ${path} -> ${answer.status}: ${ajv.errorsText(problem.errors)} in ${answer.text.slice(0, 300)}`);
      }
    }
    expect(invalid).toEqual([]);
    // The schemas hold answers to something: a user without a role is refused.
    const users = validatorFor('GET', '/api/v1/users', 200, 'application/json') as ValidateFunction;
    expect(
      users([{ name: 'someone', sites: '*', disabledAt: null, createdAt: '2026-12-01T00:00:00Z', updatedAt: '2026-12-01T00:00:00Z' }]),
    ).toBe(false);
    // The sample covers successes and each kind of problem.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 201, 400, 401, 403, 404]));
  });

  it('holds examples that are what their schemas describe', () => {
    const wrong: string[] = [];
    let examples = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          for (const [type, media] of Object.entries(response.content ?? {})) {
            if (media.example === undefined || !media.schema) continue;
            examples += 1;
            const validate = ajv.compile(resolveRefs(media.schema));
            if (!validate(media.example))
              wrong.push(`${method.toUpperCase()} ${path} ${status} ${type}: ${ajv.errorsText(validate.errors)}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(examples).toBeGreaterThan(100);
  });

  it('answers every error as application/problem+json with type, title, status, detail and instance', async () => {
    const answer = await call('GET', `/api/v1/sites/${SITE}/consumption?utility=gas`);
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toEqual({
      type: 'urn:hallwatch:problem:invalid-input',
      title: 'Invalid input',
      status: 400,
      detail: expect.stringMatching(/^utility: /),
      instance: `/api/v1/sites/${SITE}/consumption`,
      errors: [{ field: 'utility', message: expect.any(String) }],
    });
    const unknownRoute = await call('GET', '/api/v1/no-such-route');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body).toMatchObject({ type: 'urn:hallwatch:problem:not-found', status: 404, instance: '/api/v1/no-such-route' });
  });

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();

  /** The validator of an answer, `null` for an answer without a JSON schema (a file, text), or why there is none. */
  function validatorFor(method: string, path: string, status: number, contentType: string): ValidateFunction | null | string {
    const template = Object.keys(document.paths).find((candidate) => pathPattern(candidate).test(path.split('?')[0]));
    const operation = template ? document.paths[template][method.toLowerCase()] : undefined;
    if (!operation) return 'no operation in the document';
    const response = operation.responses?.[String(status)];
    if (!response) return `status ${status} is not in the document`;
    const type = contentType.split(';')[0].trim();
    const media = response.content?.[type] ?? Object.entries(response.content ?? {}).find(([key]) => key.split(';')[0] === type)?.[1];
    if (!media) return `no ${type} answer for ${status} in the document`;
    if (!type.endsWith('json')) return null;
    const key = `${template} ${method} ${status} ${type}`;
    if (!validators.has(key)) validators.set(key, ajv.compile(resolveRefs(media.schema ?? {})));
    return validators.get(key)!;
  }

  function resolveRefs(schema: Schema): Schema {
    const ref = schema.$ref as string | undefined;
    return ref ? document.components.schemas[ref.replace('#/components/schemas/', '')] : schema;
  }
});

const pathPattern = (template: string) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** What the document lacks for one route, each named with the route so whoever added it can fill it in. */
function operationGaps(
  route: string,
  operation: Operation,
  path: string,
  controller: new (...args: never[]) => unknown,
  method: string,
): string[] {
  const gaps: string[] = [];
  const parameters = operation.parameters ?? [];
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === name && parameter.schema)) {
      gaps.push(`${route}: path parameter ${name} has no schema`);
    }
  }
  const inputs = routeInputs(controller, method);
  const args = Object.keys((Reflect.getMetadata('__routeArguments__', controller, method) ?? {}) as object).map((key) =>
    Number(key.split(':')[0]),
  );
  if (args.includes(RouteParamtypes.QUERY) && (!inputs.query?.schema || !parameters.some((parameter) => parameter.in === 'query'))) {
    gaps.push(`${route}: reads a query without a zod schema (use @Query(new ZodPipe(schema)))`);
  }
  if (args.includes(RouteParamtypes.BODY) && !operation.requestBody?.content?.['application/json']?.schema) {
    gaps.push(`${route}: reads a body without a zod schema (use @Body(new ZodPipe(schema)))`);
  }
  const responses = operation.responses ?? {};
  const success = Object.keys(responses).filter((status) => status.startsWith('2'));
  if (success.length === 0) gaps.push(`${route}: no success answer`);
  for (const status of success) {
    if (status === '204') continue;
    const content = responses[status].content ?? {};
    if (!Object.values(content).some((media) => media.schema))
      gaps.push(`${route}: the ${status} answer has no schema (add @Returns(schema))`);
  }
  const errors = Object.keys(responses).filter((status) => /^[45]/.test(status));
  if (!errors.includes('500')) gaps.push(`${route}: no 500 problem`);
  for (const status of errors) {
    // GET /health's 503 is its readiness report, documented as such.
    const healthReport = path.startsWith('/health') && status === '503' && responses[status].content?.['application/json']?.schema;
    if (!healthReport && !responses[status].content?.['application/problem+json']?.schema) {
      gaps.push(`${route}: the ${status} answer is not a problem`);
    }
  }
  return gaps;
}
