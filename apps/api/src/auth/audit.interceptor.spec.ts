import { redact } from './audit.interceptor';

/** A value `depth` arrays deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('redact', () => {
  it('records any value without overflowing the stack, however deep (12,000 levels overflowed it)', () => {
    const recorded = redact({ note: 'x', junk: nested(100_000) }) as { note: string; junk: unknown };
    expect(recorded.note).toBe('x');
    // The body is the first of the 8 levels kept.
    expect(JSON.stringify(recorded.junk)).toBe(`${'['.repeat(7)}"[too deep]"${']'.repeat(7)}`);
  });

  it('replaces secrets at any level, escapes NUL (jsonb cannot hold it) and clips long texts', () => {
    expect(redact({ user: { password: 'hunter2', apiToken: 't' }, name: 'a\u0000b', long: 'x'.repeat(5_000) })).toEqual({
      user: { password: '[redacted]', apiToken: '[redacted]' },
      name: 'a\\u0000b',
      long: `${'x'.repeat(999)}…`,
    });
  });

  it('reduces what is still large to its keys', () => {
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'y'.repeat(900)]));
    expect(redact(wide)).toEqual({ truncated: true, keys: Object.keys(wide) });
    expect(redact(undefined)).toBeNull();
  });
});
