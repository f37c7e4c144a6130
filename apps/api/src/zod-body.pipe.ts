import { PipeTransform } from '@nestjs/common';
import { ZodType, ZodTypeDef } from 'zod';
import { DomainError, FieldError } from '@hallwatch/core';

/**
 * Validates a body, query or path parameter against a zod schema; the 400 names every offending
 * field. The OpenAPI document describes the parameter from the same schema (openapi/route-inputs.ts).
 */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(readonly schema: ZodType<T, ZodTypeDef, unknown>) {}

  transform(value: unknown): T {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const errors: FieldError[] = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
    throw new DomainError('invalid-input', errors.map((error) => `${error.field}: ${error.message}`).join('; '), { errors });
  }
}
