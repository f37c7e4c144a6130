import { ParseIntPipe, ParseUUIDPipe, PipeTransform, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ZodPipe } from '../zod-body.pipe';
import { AnySchema, JsonSchema, jsonSchemaOf } from './json-schema';

/** What a handler reads from the request, with the schema its pipe validates it by (if any). */
export interface RouteInputs {
  /** Path parameters a handler reads, by name; `undefined` when read without validation. */
  params: Map<string, JsonSchema | undefined>;
  /** The query's schema; `null` when the handler reads the query without one. */
  query?: { schema: AnySchema | null };
  body?: { schema: AnySchema | null };
}

interface RouteArg {
  index: number;
  data?: unknown;
  pipes?: Array<PipeTransform | Type<PipeTransform>>;
}

/** Reads the @Param, @Query and @Body arguments of a handler and the pipes that validate them. */
export function routeInputs(controller: Type<unknown>, method: string): RouteInputs {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArg>;
  const inputs: RouteInputs = { params: new Map() };
  for (const [key, arg] of Object.entries(args)) {
    const type = Number(key.split(':')[0]) as RouteParamtypes;
    const pipes = arg.pipes ?? [];
    if (type === RouteParamtypes.PARAM && typeof arg.data === 'string') inputs.params.set(arg.data, paramSchema(pipes));
    if (type === RouteParamtypes.QUERY) inputs.query = { schema: zodOf(pipes) };
    if (type === RouteParamtypes.BODY) inputs.body = { schema: zodOf(pipes) };
  }
  return inputs;
}

function zodOf(pipes: RouteArg['pipes'] = []): AnySchema | null {
  const pipe = pipes.find((candidate): candidate is ZodPipe<unknown> => candidate instanceof ZodPipe);
  return pipe?.schema ?? null;
}

function paramSchema(pipes: NonNullable<RouteArg['pipes']>): JsonSchema | undefined {
  const zod = zodOf(pipes);
  if (zod) return jsonSchemaOf(zod, 'input');
  if (pipes.some((pipe) => pipe === ParseIntPipe || pipe instanceof ParseIntPipe)) return { type: 'integer' };
  if (pipes.some((pipe) => pipe === ParseUUIDPipe || pipe instanceof ParseUUIDPipe)) return { type: 'string', format: 'uuid' };
  return undefined;
}
