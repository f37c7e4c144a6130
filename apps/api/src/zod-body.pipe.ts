import { PipeTransform } from '@nestjs/common';
import { ZodType, ZodTypeDef } from 'zod';
import { DomainError } from '@hallwatch/core';

/** Validates a body or query against a zod schema; the 400 names every offending field. */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: ZodType<T, ZodTypeDef, unknown>) {}

  transform(value: unknown): T {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new DomainError('invalid-input', problems.map((problem) => `${problem.path || '(body)'}: ${problem.message}`).join('; '), {
      problems,
    });
  }
}
