/**
 * Project Haystack filters (docHaystack/Filters): parsed into a small tree, then matched against
 * entities (dicts of tags). The grammar, as published:
 *
 *   <filter>  := <condOr>
 *   <condOr>  := <condAnd> ("or" <condAnd>)*
 *   <condAnd> := <term> ("and" <term>)*
 *   <term>    := <parens> | <has> | <missing> | <cmp>
 *   <parens>  := "(" <filter> ")"
 *   <has>     := <path>
 *   <missing> := "not" <path>
 *   <cmp>     := <path> <cmpOp> <val>
 *   <cmpOp>   := "==" | "!=" | "<" | "<=" | ">" | ">="
 *   <path>    := <name> ("->" <name>)*
 *   <val>     := <bool> | <ref> | <str> | <uri> | <number> | <date> | <time>   (Zinc scalars)
 *
 * Not supported: the def operator `?` and relationship queries, which need a defs namespace.
 */

/** A Haystack value as Hallwatch's entities hold them (a subset of the Haystack kinds). */
export type HaystackValue =
  | { kind: 'marker' }
  | { kind: 'bool'; val: boolean }
  | { kind: 'str'; val: string }
  | { kind: 'number'; val: number; unit: string | null }
  | { kind: 'ref'; val: string; dis?: string }
  | { kind: 'uri'; val: string }
  | { kind: 'date'; val: string }
  | { kind: 'time'; val: string }
  | { kind: 'dateTime'; val: string; tz: string };

/** An entity: tag name -> value. */
export type HaystackDict = Readonly<Record<string, HaystackValue>>;

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type HaystackFilter =
  | { type: 'has'; path: readonly string[] }
  | { type: 'missing'; path: readonly string[] }
  | { type: 'cmp'; path: readonly string[]; op: CompareOp; value: HaystackValue }
  | { type: 'and' | 'or'; left: HaystackFilter; right: HaystackFilter };

/** Looks up the entity a ref points at, for `->`. */
export type RefResolver = (id: string) => HaystackDict | undefined;

export class HaystackFilterError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`filter: ${message} at character ${position + 1}`);
  }
}

/** Longer filters are refused before parsing: no real query needs more, and each character costs work. */
export const MAX_FILTER_CHARS = 2_000;
/** Parentheses and `and`/`or` chains deeper than this are refused (the parser is recursive). */
export const MAX_FILTER_DEPTH = 32;

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { type: 'name'; text: string; at: number }
  | { type: 'keyword'; text: 'and' | 'or' | 'not'; at: number }
  | { type: 'value'; value: HaystackValue; at: number }
  | { type: 'op'; text: CompareOp | '(' | ')' | '->'; at: number }
  | { type: 'end'; at: number };

const NAME = /[a-z][a-zA-Z0-9_]*/y;
const REF = /@([a-zA-Z0-9_:\-.~]+)/y;
const DATE = /(\d{4}-\d{2}-\d{2})(?![\d:T])/y;
const TIME = /(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)/y;
/** Zinc numbers (no INF/NaN in filters): digits with `_` separators, a fraction, an exponent, then a unit. */
const NUMBER = /(-?\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)([a-zA-Z%_/$\u0080-\uffff]+)?/y;
const OPERATORS = ['==', '!=', '<=', '>=', '->', '<', '>', '(', ')'] as const;
const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$', '`': '`' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const match = (pattern: RegExp) => {
    pattern.lastIndex = at;
    return pattern.exec(text);
  };
  while (at < text.length) {
    const char = text[at];
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      at += 1;
      continue;
    }
    const start = at;
    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, at));
    if (operator) {
      tokens.push({ type: 'op', text: operator, at: start });
      at += operator.length;
      continue;
    }
    if (char === '"' || char === '`') {
      const [val, end] = readQuoted(text, at, char);
      tokens.push({ type: 'value', value: char === '"' ? { kind: 'str', val } : { kind: 'uri', val }, at: start });
      at = end;
      continue;
    }
    let found: RegExpExecArray | null;
    if ((found = match(REF))) {
      tokens.push({ type: 'value', value: { kind: 'ref', val: found[1] }, at: start });
    } else if ((found = match(DATE))) {
      tokens.push({ type: 'value', value: { kind: 'date', val: checkedDate(found[1], start) }, at: start });
    } else if ((found = match(TIME))) {
      tokens.push({ type: 'value', value: { kind: 'time', val: found[1] }, at: start });
    } else if ((found = match(NUMBER))) {
      const val = Number(found[1].replace(/_/g, ''));
      if (!Number.isFinite(val)) throw new HaystackFilterError('number out of range', start);
      tokens.push({ type: 'value', value: { kind: 'number', val, unit: found[2] ?? null }, at: start });
    } else if ((found = match(NAME))) {
      const word = found[0];
      if (word === 'and' || word === 'or' || word === 'not') tokens.push({ type: 'keyword', text: word, at: start });
      else if (word === 'true' || word === 'false') tokens.push({ type: 'value', value: { kind: 'bool', val: word === 'true' }, at: start });
      else tokens.push({ type: 'name', text: word, at: start });
    } else {
      throw new HaystackFilterError(`unexpected ${describeChar(char)}`, at);
    }
    at = start + found[0].length;
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}

function readQuoted(text: string, start: number, quote: string): [string, number] {
  let val = '';
  let at = start + 1;
  while (at < text.length) {
    const char = text[at];
    if (char === quote) return [val, at + 1];
    if (char < ' ') throw new HaystackFilterError(`${describeChar(char)} inside a quoted value`, at);
    if (char !== '\\') {
      val += char;
      at += 1;
      continue;
    }
    const next = text[at + 1];
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
      val += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
      at += 6;
    } else if (next !== undefined && next in ESCAPES) {
      val += ESCAPES[next];
      at += 2;
    } else {
      throw new HaystackFilterError('invalid escape', at);
    }
  }
  throw new HaystackFilterError('unterminated quoted value', start);
}

function checkedDate(text: string, at: number): string {
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    throw new HaystackFilterError(`${text} is not a date`, at);
  return text;
}

function describeChar(char: string): string {
  const code = char.codePointAt(0)!;
  return code < 0x20 || code === 0x7f ? `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}` : `"${char}"`;
}

// ---------------------------------------------------------------------------------------------
// Parser

/** Parses a filter; throws HaystackFilterError naming what is wrong and where. */
export function parseHaystackFilter(text: string): HaystackFilter {
  if (text.length > MAX_FILTER_CHARS) throw new HaystackFilterError(`longer than ${MAX_FILTER_CHARS} characters`, MAX_FILTER_CHARS);
  const tokens = tokenize(text);
  if (tokens.length === 1) throw new HaystackFilterError('empty filter', 0);
  let index = 0;
  const peek = () => tokens[index];
  const next = () => tokens[index++];
  const isKeyword = (word: 'and' | 'or' | 'not') => {
    const token = peek();
    return token.type === 'keyword' && token.text === word;
  };
  const isOp = (op: string) => {
    const token = peek();
    return token.type === 'op' && token.text === op;
  };

  const condOr = (depth: number): HaystackFilter => {
    if (depth > MAX_FILTER_DEPTH) throw new HaystackFilterError(`nested deeper than ${MAX_FILTER_DEPTH}`, peek().at);
    let left = condAnd(depth);
    while (isKeyword('or')) {
      next();
      left = { type: 'or', left, right: condAnd(depth) };
    }
    return left;
  };
  const condAnd = (depth: number): HaystackFilter => {
    let left = term(depth);
    while (isKeyword('and')) {
      next();
      left = { type: 'and', left, right: term(depth) };
    }
    return left;
  };
  const term = (depth: number): HaystackFilter => {
    if (isOp('(')) {
      next();
      const inner = condOr(depth + 1);
      const close = next();
      if (!(close.type === 'op' && close.text === ')')) throw new HaystackFilterError('expected ")"', close.at);
      return inner;
    }
    if (isKeyword('not')) {
      next();
      return { type: 'missing', path: path() };
    }
    const tagPath = path();
    const token = peek();
    if (token.type === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text)) {
      next();
      const value = next();
      if (value.type !== 'value') throw new HaystackFilterError('expected a value (bool, ref, string, uri, number, date or time)', value.at);
      return { type: 'cmp', path: tagPath, op: token.text as CompareOp, value: value.value };
    }
    return { type: 'has', path: tagPath };
  };
  const path = (): string[] => {
    const names = [expectName()];
    while (isOp('->')) {
      next();
      names.push(expectName());
    }
    return names;
  };
  const expectName = (): string => {
    const token = next();
    if (token.type !== 'name') throw new HaystackFilterError('expected a tag name', token.at);
    return token.text;
  };

  const filter = condOr(0);
  const rest = peek();
  if (rest.type !== 'end') throw new HaystackFilterError('expected "and", "or" or the end', rest.at);
  return filter;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Whether `entity` matches; `resolve` follows refs for `->` paths. */
export function matchesHaystackFilter(filter: HaystackFilter, entity: HaystackDict, resolve: RefResolver): boolean {
  switch (filter.type) {
    case 'and':
      return matchesHaystackFilter(filter.left, entity, resolve) && matchesHaystackFilter(filter.right, entity, resolve);
    case 'or':
      return matchesHaystackFilter(filter.left, entity, resolve) || matchesHaystackFilter(filter.right, entity, resolve);
    case 'has':
      return valueAt(filter.path, entity, resolve) !== undefined;
    case 'missing':
      return valueAt(filter.path, entity, resolve) === undefined;
    case 'cmp': {
      const actual = valueAt(filter.path, entity, resolve);
      return actual !== undefined && compare(actual, filter.op, filter.value);
    }
  }
}

/** The value at the end of a path, each `->` going through a ref to the entity it names. */
function valueAt(path: readonly string[], entity: HaystackDict, resolve: RefResolver): HaystackValue | undefined {
  let current: HaystackDict | undefined = entity;
  for (let step = 0; step < path.length - 1; step++) {
    const ref: HaystackValue | undefined = current[path[step]];
    if (ref?.kind !== 'ref') return undefined;
    current = resolve(ref.val);
    if (!current) return undefined;
  }
  return Object.prototype.hasOwnProperty.call(current, path[path.length - 1]) ? current[path[path.length - 1]] : undefined;
}

/**
 * Values of different kinds never match (so `!=` is false too, as for a missing tag). Numbers
 * compare when their units agree or the filter's number has none (`curVal > 75` matches 80°F).
 */
function compare(actual: HaystackValue, op: CompareOp, expected: HaystackValue): boolean {
  const order = ordering(actual, expected);
  if (order === undefined) return false;
  switch (op) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function ordering(actual: HaystackValue, expected: HaystackValue): number | undefined {
  if (actual.kind === 'number' && expected.kind === 'number') {
    if (expected.unit !== null && actual.unit !== expected.unit) return undefined;
    return Math.sign(actual.val - expected.val);
  }
  if (actual.kind === 'bool' && expected.kind === 'bool') return Number(actual.val) - Number(expected.val);
  if (actual.kind === 'marker' || expected.kind === 'marker' || actual.kind !== expected.kind) return undefined;
  if (!('val' in actual) || !('val' in expected)) return undefined;
  const [a, b] = [String(actual.val), String(expected.val)];
  return a < b ? -1 : a > b ? 1 : 0;
}
