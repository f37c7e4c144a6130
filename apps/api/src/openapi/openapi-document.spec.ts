import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { Public } from '@hallwatch/core';
import { ZodPipe } from '../zod-body.pipe';
import { buildOpenApiDocument } from './openapi-document';
import { Returns } from './returns.decorator';

const thingQuery = z.object({ limit: z.coerce.number().int().min(1).default(10), state: z.enum(['on', 'off']).optional() });
const thingBody = z.object({ name: z.string().min(1) });
const thing = z.object({ id: z.number().int(), name: z.string() });

@Controller('sites/:site/things')
class ThingsController {
  @Get()
  @Returns(z.array(thing))
  list(@Param('site') _site: string, @Query(new ZodPipe(thingQuery)) _query: unknown) {
    return [];
  }

  @Put(':id')
  @Returns(thing, { errors: [409] })
  put(@Param('id', ParseIntPipe) _id: number, @Body(new ZodPipe(thingBody)) _body: unknown) {
    return { id: 1, name: 'a' };
  }

  @Delete(':id')
  @HttpCode(204)
  remove() {}
}

@Controller('health')
class PingController {
  @Get()
  @Public()
  @Returns(z.object({ status: z.literal('ok') }))
  ping() {
    return { status: 'ok' };
  }
}

type Operation = {
  security: unknown[];
  parameters: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument([ThingsController, PingController], {
    prefix: 'api/v1',
    unprefixed: ['health'],
    title: 't',
    version: '1',
    description: 'd',
  }) as { openapi: string; paths: Record<string, Record<string, Operation>> };

  it('writes Nest paths in OpenAPI form, under the prefix unless served at the root', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(['/api/v1/sites/{site}/things', '/api/v1/sites/{site}/things/{id}', '/health']);
  });

  it('reads path parameters and the query from the pipes that validate them', () => {
    const list = document.paths['/api/v1/sites/{site}/things'].get;
    expect(list.parameters.map(({ name, in: where, required }) => `${where} ${name} ${required}`)).toEqual([
      'path site true',
      'query limit false',
      'query state false',
    ]);
    expect(list.parameters[1].schema).toMatchObject({ type: 'integer', minimum: 1, default: 10 });
    expect(list.parameters[2].schema).toMatchObject({ type: 'string', enum: ['on', 'off'] });
    const put = document.paths['/api/v1/sites/{site}/things/{id}'].put;
    expect(put.parameters.find((parameter) => parameter.name === 'id')!.schema).toEqual({ type: 'integer' });
    expect(put.requestBody!.content['application/json'].schema).toMatchObject({ type: 'object', required: ['name'] });
  });

  it('describes the success answer from @Returns and the errors each route can give as problems', () => {
    const list = document.paths['/api/v1/sites/{site}/things'].get;
    expect(Object.keys(list.responses)).toEqual(['200', '400', '401', '403', '404', '500']);
    expect(list.responses['200'].content!['application/json'].schema).toMatchObject({ type: 'array', items: { type: 'object' } });
    expect(list.responses['404'].content!['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(Object.keys(document.paths['/api/v1/sites/{site}/things/{id}'].put.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '500',
    ]);
    // No pipe, nothing validated: no 400; 204 has no body.
    expect(Object.keys(document.paths['/api/v1/sites/{site}/things/{id}'].delete.responses)).toEqual(['204', '401', '403', '404', '500']);
    // A public route needs no token: no 401 or 403, and no security requirement.
    const ping = document.paths['/health'].get;
    expect(Object.keys(ping.responses)).toEqual(['200', '500']);
    expect(ping.security).toEqual([]);
  });
});
