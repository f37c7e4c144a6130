/**
 * JSON read defensively, wherever it comes from (MQTT payloads, request bodies): limits checked in
 * one pass over the text before anything recursive touches it, and short previews for messages.
 */

/** Why JSON text was refused; ingest stores it as a dead letter's reason, the API answers 400/413. */
export interface JsonProblem {
  reason: 'too-deep' | 'payload-too-large' | 'key-too-long' | 'bad-json';
  detail: string;
}

export interface JsonLimits {
  /** Arrays and objects inside one another; a native v1 message needs 3. */
  maxDepth: number;
  /** Elements of one array, or members of one object. */
  maxEntries: number;
  /** Characters of one object key as written (escapes included). */
  maxKeyChars: number;
}

/** Ingest refuses point keys past 256 characters (MAX_POINT_KEY_CHARS); no other key needs more. */
export const JSON_LIMITS: JsonLimits = { maxDepth: 32, maxEntries: 10_000, maxKeyChars: 256 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/**
 * Why JSON text is beyond the limits, found in one pass over the text with no recursion, before
 * anything builds or walks a tree from it: `JSON.stringify` of a value 4,500 arrays deep overflows
 * the stack. It does not validate the text (JSON.parse does that next), so for text that is both
 * invalid and beyond a limit the limit is what it reports.
 */
export function jsonLimitProblem(text: string, limits: JsonLimits = JSON_LIMITS): JsonProblem | undefined {
  // Per open container: is it an object, and how many commas it has had. Never deeper than maxDepth.
  const isObject: boolean[] = [];
  const commas: number[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
      if (expectKey && i - start - 1 > limits.maxKeyChars) {
        return {
          reason: 'key-too-long',
          detail: `a key of ${i - start - 1} characters, more than ${limits.maxKeyChars}: ${preview(text.slice(start + 1, start + 1 + 40))}`,
        };
      }
      expectKey = false;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (isObject.length >= limits.maxDepth) {
        return { reason: 'too-deep', detail: `arrays and objects nested deeper than ${limits.maxDepth} levels` };
      }
      isObject.push(c === OPEN_OBJECT);
      commas.push(0);
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      isObject.pop();
      commas.pop();
      expectKey = false;
    } else if (c === COMMA && commas.length > 0) {
      const top = commas.length - 1;
      if (++commas[top] >= limits.maxEntries) {
        return {
          reason: 'payload-too-large',
          detail: `an ${isObject[top] ? 'object' : 'array'} of more than ${limits.maxEntries} ${isObject[top] ? 'members' : 'elements'}`,
        };
      }
      expectKey = isObject[top];
    }
  }
  return undefined;
}

/** JSON.parse, after `jsonLimitProblem`: the value, or why there is none. */
export function parseBoundedJson(text: string, limits: JsonLimits = JSON_LIMITS): { value: unknown } | JsonProblem {
  const problem = jsonLimitProblem(text, limits);
  if (problem) return problem;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    // V8 quotes the text in the message; PostgreSQL text cannot hold the NUL it may contain.
    return { reason: 'bad-json', detail: clip((error as Error).message, 300) };
  }
}

/**
 * A short rendering of any value for a rejection's detail: JSON-like, at most `maxChars`
 * characters, never deeper than a few levels, and without NUL (PostgreSQL text cannot hold it).
 * Never throws: not on cycles, BigInt, typed arrays, getters that throw or proxies.
 */
export function preview(value: unknown, maxChars = 80): string {
  let text: string;
  try {
    text = render(value, 4, maxChars + 1);
  } catch {
    text = '(unreadable)';
  }
  return clip(text, maxChars);
}

/**
 * At most `maxChars` characters, an ellipsis marking the cut (a surrogate pair is not split), NUL
 * written as `\u0000`: text fit for a rejection's detail.
 */
export function clip(text: string, maxChars: number): string {
  const escaped = text.replaceAll('\u0000', '\\u0000');
  if (escaped.length <= maxChars) return escaped;
  let end = maxChars - 1;
  const last = escaped.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${escaped.slice(0, end)}…`;
}

/** Depth-limited and budgeted: stops adding once `budget` characters are written. */
function render(value: unknown, depth: number, budget: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > budget ? value.slice(0, Math.max(budget, 0)) : value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
    case 'function':
      return `(${typeof value})`;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : 'Invalid Date';
  if (depth === 0) return Array.isArray(value) || ArrayBuffer.isView(value) ? '[…]' : '{…}';
  const parts: string[] = [];
  let used = 2;
  const add = (part: string): boolean => {
    parts.push(part);
    used += part.length + 1;
    return used < budget;
  };
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const list = value as ArrayLike<unknown>;
    for (let i = 0; i < list.length; i++) if (!add(render(list[i], depth - 1, budget - used))) break;
    return `[${parts.join(',')}]`;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const entry = `${JSON.stringify(key.slice(0, Math.max(budget, 0)))}:${render((value as Record<string, unknown>)[key], depth - 1, budget - used)}`;
    if (!add(entry)) break;
  }
  return `{${parts.join(',')}}`;
}
