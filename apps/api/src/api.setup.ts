import { INestApplication } from '@nestjs/common';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { requestLimits } from '@hallwatch/core';
import { RedisIoAdapter } from '@hallwatch/live';
import { apiDocument } from './openapi/api-document';

/**
 * What the api adds to an HTTP app: bounded request bodies and parameters (checked before any
 * guard, interceptor or handler), the Redis-backed socket adapter and the OpenAPI 3.1 document
 * (generated from the zod schemas, openapi/api-document.ts), served with Swagger UI at /api/docs
 * and as JSON at /api/docs/openapi.json.
 */
export function configureApi(app: INestApplication): void {
  for (const handler of requestLimits()) app.use(handler);
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  SwaggerModule.setup('api/docs', app, apiDocument(app) as unknown as OpenAPIObject, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
