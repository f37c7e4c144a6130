import { INestApplicationContext, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { API_PREFIX, UNPREFIXED_ROUTES } from '@hallwatch/core';
import { buildOpenApiDocument } from './openapi-document';
import { OPERATIONS_RETURNS } from './operations.contract';

/** Every controller the application serves, once each, in the order its modules were scanned. */
export function servedControllers(app: INestApplicationContext): Array<Type<unknown>> {
  const controllers = new Set<Type<unknown>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) if (wrapper.metatype) controllers.add(wrapper.metatype as Type<unknown>);
  }
  return [...controllers];
}

/** The api's OpenAPI document: served at /api/docs and written to docs/openapi.json (write-openapi.ts). */
export function apiDocument(app: INestApplicationContext): Record<string, unknown> {
  return buildOpenApiDocument(servedControllers(app), {
    prefix: API_PREFIX,
    unprefixed: UNPREFIXED_ROUTES,
    title: 'Hallwatch API',
    version: '1',
    description:
      'Facility operations monitor for city hall buildings. Every route but /health and /health/live needs `Authorization: Bearer <token>`. ' +
      'Every error answer is an RFC 9457 problem (`application/problem+json`).',
    externalReturns: OPERATIONS_RETURNS,
  });
}
