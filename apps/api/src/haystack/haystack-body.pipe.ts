import { PipeTransform } from '@nestjs/common';
import { DomainError, parseBoundedJson } from '@hallwatch/core';
import { readZincRequest } from './zinc-request';

/**
 * An op's request grid as it arrived: JSON already parsed (application/json), or text for the
 * Haystack media types (text/zinc, application/vnd.haystack+json) that the module's body parser
 * keeps as text. Either way the result is a Hayson-shaped grid for the ZodPipe that follows.
 */
export class HaystackBodyPipe implements PipeTransform<unknown, unknown> {
  transform(body: unknown): unknown {
    if (typeof body !== 'string') return body;
    const text = body.trimStart();
    if (!text.startsWith('{') && !text.startsWith('[')) return { rows: readZincRequest(body) };
    const parsed = parseBoundedJson(body);
    if ('value' in parsed) return parsed.value;
    throw new DomainError('invalid-input', `body: ${parsed.detail}`);
  }
}
