import { Principal } from '@hallwatch/auth';
import { reconcile } from './live-access';

const principal = (sites: Principal['sites']): Principal => ({
  tokenId: 1,
  name: 'mei',
  role: 'viewer',
  sites,
  kind: 'session',
  userId: 7,
  expiresAt: null,
});

describe('reconcile', () => {
  it.each([
    ['a token no longer valid ends the socket', ['a', 'b'], undefined, ['a'], { end: true }],
    ['a removed site is left', ['a', 'b'], ['a'], ['a', 'b'], { end: false, left: ['b'], scopeChanged: true }],
    ['a removed site not subscribed leaves nothing', ['a', 'b'], ['a'], ['a'], { end: false, left: [], scopeChanged: true }],
    ['every site to some sites', '*', ['a'], ['a', 'c'], { end: false, left: ['c'], scopeChanged: true }],
    ['an unchanged scope keeps everything', ['a'], ['a'], ['a'], { end: false, left: [], scopeChanged: false }],
    ['a widened scope leaves nothing', ['a'], '*', ['a'], { end: false, left: [], scopeChanged: true }],
  ] as const)('%s', (_name, before, after, subscribed, verdict) => {
    const next = after === undefined ? undefined : principal(after === '*' ? '*' : [...after]);
    expect(reconcile(principal(before === '*' ? '*' : [...before]), next, [...subscribed])).toEqual(verdict);
  });
});
