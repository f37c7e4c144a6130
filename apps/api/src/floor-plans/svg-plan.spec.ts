import { MAX_SVG_BYTES, safeSvgPlan, SvgRejected } from './svg-plan';

const NS = 'xmlns="http://www.w3.org/2000/svg"';
const refusal = (input: string) => {
  try {
    safeSvgPlan(input);
  } catch (error) {
    if (error instanceof SvgRejected) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('safeSvgPlan', () => {
  it('keeps a drawing with zones, text and internal references, re-serialised', () => {
    const input = `<?xml version="1.0" encoding="UTF-8"?>
<!-- drawn by hand -->
<svg ${NS} xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 200">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
  <rect data-zone="zone-2f-east" x="0" y="0" width='200' height="200" fill="url(#g)"/>
  <path data-zone="zone-2f-west" d="M200 0 H400 V200 H200 Z"/>
  <text x="10" y="20">東區 &amp; 會議室 &#x2603;</text>
  <use xlink:href="#g"/>
</svg>`;
    expect(safeSvgPlan(input)).toBe(
      `<svg ${NS} xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 200"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>` +
        `<rect data-zone="zone-2f-east" x="0" y="0" width="200" height="200" fill="url(#g)"/><path data-zone="zone-2f-west" d="M200 0 H400 V200 H200 Z"/>` +
        `<text x="10" y="20">東區 &amp; 會議室 ☃</text><use xlink:href="#g"/></svg>`,
    );
  });

  it.each([
    ['a script element', `<svg ${NS}><script>alert(1)</script></svg>`, 'element'],
    ['a script with an upper-case name', `<svg ${NS}><SCRIPT>alert(1)</SCRIPT></svg>`, 'element'],
    ['an event handler', `<svg ${NS} onload="alert(1)"><rect/></svg>`, 'attribute'],
    ['an event handler in odd case', `<svg ${NS}><rect OnClick="alert(1)"/></svg>`, 'attribute'],
    ['foreign HTML', `<svg ${NS}><foreignObject><iframe src="x"/></foreignObject></svg>`, 'element'],
    ['a style element', `<svg ${NS}><style>rect{fill:url(http://evil/x)}</style></svg>`, 'element'],
    ['a style attribute', `<svg ${NS}><rect style="fill:red"/></svg>`, 'attribute'],
    ['an external image', `<svg ${NS}><image href="http://evil/x.png"/></svg>`, 'element'],
    ['a link', `<svg ${NS}><a href="javascript:alert(1)"><rect/></a></svg>`, 'element'],
    ['animation that sets an href', `<svg ${NS}><set attributeName="href" to="javascript:alert(1)"/></svg>`, 'element'],
    ['use of an external file', `<svg ${NS}><use href="http://evil/sprite.svg#a"/></svg>`, 'external-reference'],
    ['use of a javascript: address', `<svg ${NS}><use xlink:href="javascript:alert(1)"/></svg>`, 'external-reference'],
    ['use of a data: address', `<svg ${NS}><use href="data:image/svg+xml;base64,PHN2Zz4="/></svg>`, 'external-reference'],
    ['a fill from another file', `<svg ${NS}><rect fill="url(http://evil/p.svg#g)"/></svg>`, 'external-reference'],
    ['a fill hiding url( behind spaces', `<svg ${NS}><rect fill="u r l(http://evil/p.svg#g)"/></svg>`, 'external-reference'],
    ['a CSS escape', `<svg ${NS}><rect fill="\\75rl(http://evil)"/></svg>`, 'attribute'],
    ['a document type (entities)', `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg ${NS}>&x;</svg>`, 'doctype'],
    ['an unknown entity', `<svg ${NS}><text>&x;</text></svg>`, 'malformed'],
    ['CDATA', `<svg ${NS}><text><![CDATA[<script>]]></text></svg>`, 'malformed'],
    ['a processing instruction inside', `<svg ${NS}><?xml-stylesheet href="http://evil"?></svg>`, 'malformed'],
    ['a NUL byte', `<svg ${NS}><text>a\u0000b</text></svg>`, 'control-character'],
    ['a NUL character reference', `<svg ${NS}><text>&#0;</text></svg>`, 'control-character'],
    ['a foreign namespace', `<svg xmlns="http://www.w3.org/1999/xhtml"><rect/></svg>`, 'attribute'],
    ['HTML instead of SVG', `<html><body/></html>`, 'element'],
    ['no element at all', `just text`, 'not-svg'],
    ['an unclosed element', `<svg ${NS}><g><rect/></svg>`, 'malformed'],
    ['text after the drawing', `<svg ${NS}/><script>alert(1)</script>`, 'malformed'],
    ['an unquoted attribute', `<svg ${NS}><rect x=1/></svg>`, 'malformed'],
    ['a duplicated attribute', `<svg ${NS}><rect x="1" x="2"/></svg>`, 'malformed'],
    ['deep nesting', `<svg ${NS}>${'<g>'.repeat(100)}${'</g>'.repeat(100)}</svg>`, 'too-complex'],
    ['too large', `<svg ${NS}><desc>${'x'.repeat(MAX_SVG_BYTES)}</desc></svg>`, 'too-large'],
  ])('refuses %s', (_name, input, reason) => {
    expect(refusal(input)).toBe(reason);
  });

  it('escapes what it keeps, so a value cannot break out of its attribute or text', () => {
    expect(safeSvgPlan(`<svg ${NS}><text x="&quot;&gt;">&lt;script&gt;</text></svg>`)).toBe(
      `<svg ${NS}><text x="&quot;&gt;">&lt;script&gt;</text></svg>`,
    );
  });
});
