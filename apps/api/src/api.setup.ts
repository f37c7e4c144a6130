import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { requestLimits } from '@hallwatch/core';
import { RedisIoAdapter } from '@hallwatch/live';

/**
 * What the api adds to an HTTP app: bounded request bodies and parameters (checked before any
 * guard, interceptor or handler), the Redis-backed socket adapter and the OpenAPI document.
 */
export function configureApi(app: INestApplication): void {
  for (const handler of requestLimits()) app.use(handler);
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hallwatch API')
      .setDescription('Facility operations monitor for city hall buildings. Every route but /health needs `Authorization: Bearer <token>`.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
