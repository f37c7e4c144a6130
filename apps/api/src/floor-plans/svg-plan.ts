/**
 * Uploaded floor plans are SVG drawn by someone else's tool, and the dashboard puts them inline in
 * the page: anything that can run, load or link out must never get through. Rather than cleaning
 * hostile markup, the plan is parsed strictly into a small tree of known drawing elements and
 * attributes, anything else refuses the whole file, and what is stored is re-serialised from that
 * tree (so the stored text is ours, never the upload's bytes).
 */

/** Under the API's 100 KiB body limit, with room for the JSON around it. */
export const MAX_SVG_BYTES = 96 * 1024;
const MAX_ELEMENTS = 20_000;
const MAX_DEPTH = 64;

const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'path',
  'text',
  'tspan',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'symbol',
  'use',
  'marker',
  'pattern',
]);

const ATTRIBUTES = new Set([
  'id',
  'class',
  'data-zone',
  'xmlns',
  'xmlns:xlink',
  'version',
  'viewBox',
  'preserveAspectRatio',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'dx',
  'dy',
  'd',
  'points',
  'transform',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-size',
  'font-family',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientUnits',
  'gradientTransform',
  'clip-path',
  'clipPathUnits',
  'patternUnits',
  'markerWidth',
  'markerHeight',
  'refX',
  'refY',
  'orient',
  'marker-start',
  'marker-end',
  'href',
  'xlink:href',
  'visibility',
  'display',
]);

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const XLINK_NAMESPACE = 'http://www.w3.org/1999/xlink';

export type SvgRefusal =
  'too-large' | 'control-character' | 'not-svg' | 'malformed' | 'doctype' | 'element' | 'attribute' | 'external-reference' | 'too-complex';

/** Why an upload was refused, with the element or attribute at fault. */
export class SvgRejected extends Error {
  constructor(
    readonly reason: SvgRefusal,
    detail: string,
  ) {
    super(detail);
    this.name = 'SvgRejected';
  }
}

interface Element {
  name: string;
  attributes: Array<[string, string]>;
  children: Array<Element | string>;
}

/** The plan re-serialised from its checked tree, or SvgRejected saying why it is refused. */
export function safeSvgPlan(input: string): string {
  if (Buffer.byteLength(input, 'utf8') > MAX_SVG_BYTES) throw new SvgRejected('too-large', `a plan is at most ${MAX_SVG_BYTES / 1024} KiB`);
  // Tabs, line breaks and ordinary characters only: NUL and other C0 controls are never in a drawing.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/.test(input))
    throw new SvgRejected('control-character', 'the plan holds control characters');
  const root = new Parser(input).document();
  if (root.name !== 'svg') throw new SvgRejected('not-svg', 'the outermost element is not <svg>');
  return serialise(root);
}

class Parser {
  private at = 0;
  private elements = 0;

  constructor(private readonly text: string) {}

  document(): Element {
    this.skipProlog();
    if (!this.text.startsWith('<', this.at)) throw new SvgRejected('not-svg', 'no <svg> element');
    const root = this.element(0);
    this.skipMisc();
    if (this.at < this.text.length) throw new SvgRejected('malformed', 'text after the closing </svg>');
    return root;
  }

  private skipProlog(): void {
    if (this.text.charCodeAt(0) === 0xfeff) this.at = 1;
    this.skipSpace();
    if (this.text.startsWith('<?xml', this.at)) {
      const end = this.text.indexOf('?>', this.at);
      if (end < 0) throw new SvgRejected('malformed', 'unterminated XML declaration');
      this.at = end + 2;
    }
    this.skipMisc();
    // A document type can declare entities (billion laughs, external files): never accepted.
    if (this.text.startsWith('<!DOCTYPE', this.at) || this.text.startsWith('<!doctype', this.at))
      throw new SvgRejected('doctype', 'a document type declaration is not accepted');
  }

  private skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('<!--', this.at)) this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    const end = this.text.indexOf('-->', this.at + 4);
    if (end < 0) throw new SvgRejected('malformed', 'unterminated comment');
    this.at = end + 3;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  private element(depth: number): Element {
    if (depth >= MAX_DEPTH || ++this.elements > MAX_ELEMENTS)
      throw new SvgRejected('too-complex', 'the plan is nested too deep or has too many elements');
    this.at++; // '<'
    const name = this.name();
    if (!ELEMENTS.has(name)) throw new SvgRejected('element', `<${name}> is not accepted in a floor plan`);
    const attributes: Array<[string, string]> = [];
    for (;;) {
      const before = this.at;
      this.skipSpace();
      if (this.text.startsWith('/>', this.at)) {
        this.at += 2;
        return { name, attributes, children: [] };
      }
      if (this.text[this.at] === '>') {
        this.at++;
        break;
      }
      if (this.at === before) throw new SvgRejected('malformed', `attributes of <${name}> are not separated`);
      const attribute = this.name();
      this.skipSpace();
      if (this.text[this.at] !== '=') throw new SvgRejected('malformed', `attribute ${attribute} has no value`);
      this.at++;
      this.skipSpace();
      const quote = this.text[this.at];
      if (quote !== '"' && quote !== "'") throw new SvgRejected('malformed', `attribute ${attribute} is not quoted`);
      const end = this.text.indexOf(quote, this.at + 1);
      if (end < 0) throw new SvgRejected('malformed', `attribute ${attribute} is not closed`);
      const raw = this.text.slice(this.at + 1, end);
      if (raw.includes('<')) throw new SvgRejected('malformed', `attribute ${attribute} holds <`);
      this.at = end + 1;
      if (attributes.some(([seen]) => seen === attribute)) throw new SvgRejected('malformed', `attribute ${attribute} given twice`);
      attributes.push([attribute, checkAttribute(name, attribute, decodeEntities(raw))]);
    }
    const children: Array<Element | string> = [];
    for (;;) {
      if (this.at >= this.text.length) throw new SvgRejected('malformed', `<${name}> is not closed`);
      if (this.text.startsWith('</', this.at)) {
        this.at += 2;
        const closing = this.name();
        this.skipSpace();
        if (closing !== name || this.text[this.at] !== '>') throw new SvgRejected('malformed', `</${closing}> does not close <${name}>`);
        this.at++;
        return { name, attributes, children };
      }
      if (this.text.startsWith('<!--', this.at)) this.skipComment();
      else if (this.text.startsWith('<![CDATA[', this.at)) throw new SvgRejected('malformed', 'CDATA sections are not accepted');
      else if (this.text.startsWith('<?', this.at) || this.text.startsWith('<!', this.at))
        throw new SvgRejected('malformed', 'processing instructions and declarations are not accepted inside the plan');
      else if (this.text[this.at] === '<') children.push(this.element(depth + 1));
      else {
        const end = this.text.indexOf('<', this.at);
        const raw = this.text.slice(this.at, end < 0 ? this.text.length : end);
        this.at += raw.length;
        const text = decodeEntities(raw);
        if (text.trim() !== '') children.push(text);
      }
    }
  }

  private name(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_.:-]*/.exec(this.text.slice(this.at, this.at + 200));
    if (!match) throw new SvgRejected('malformed', `a name was expected at character ${this.at}`);
    this.at += match[0].length;
    return match[0];
  }
}

function checkAttribute(element: string, name: string, value: string): string {
  if (!ATTRIBUTES.has(name)) throw new SvgRejected('attribute', `attribute ${name} on <${element}> is not accepted in a floor plan`);
  // CSS escapes could spell url( or expression( in a presentation attribute.
  if (value.includes('\\')) throw new SvgRejected('attribute', `${name} holds a backslash`);
  // eslint-disable-next-line no-control-regex -- spaces and controls could split "javascript:" apart
  const compact = value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
  if (name === 'href' || name === 'xlink:href') {
    // Only a reference to something inside the same drawing.
    if (!/^#[A-Za-z_][\w.:-]*$/.test(value.trim())) throw new SvgRejected('external-reference', `${name}="${value}" leaves the drawing`);
    return value.trim();
  }
  if (name === 'xmlns' && value !== SVG_NAMESPACE) throw new SvgRejected('attribute', `xmlns is ${SVG_NAMESPACE}`);
  if (name === 'xmlns:xlink' && value !== XLINK_NAMESPACE) throw new SvgRejected('attribute', `xmlns:xlink is ${XLINK_NAMESPACE}`);
  if (compact.includes('javascript:') || compact.includes('data:') || compact.includes('expression('))
    throw new SvgRejected('external-reference', `${name} holds a script or data address`);
  // Paint and clip references point inside the drawing: url(#id) and nothing else.
  for (const reference of compact.matchAll(/url\(([^)]*)\)/g)) {
    if (!/^['"]?#[\w.:-]+['"]?$/.test(reference[1])) throw new SvgRejected('external-reference', `${name} refers outside the drawing`);
  }
  if (compact.includes('url(') && !/url\(/.test(value)) throw new SvgRejected('external-reference', `${name} hides a url(`);
  return value;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]+);|&/g, (whole, body: string | undefined) => {
    if (body === undefined) throw new SvgRejected('malformed', 'a bare & (write &amp;)');
    if (body.startsWith('#')) {
      const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code < 0x20 && code !== 9 && code !== 10 && code !== 13) || (code >= 0xd800 && code <= 0xdfff))
        throw new SvgRejected('control-character', `character reference ${whole} is not allowed`);
      return String.fromCodePoint(code);
    }
    const named = NAMED[body];
    if (named === undefined) throw new SvgRejected('malformed', `unknown entity ${whole}`);
    return named;
  });
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function serialise(element: Element): string {
  const attributes = element.attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
  if (element.children.length === 0) return `<${element.name}${attributes}/>`;
  const children = element.children.map((child) => (typeof child === 'string' ? escapeText(child) : serialise(child))).join('');
  return `<${element.name}${attributes}>${children}</${element.name}>`;
}
