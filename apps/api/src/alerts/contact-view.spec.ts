import { Contact } from '@hallwatch/alerts';
import { contactView, maskAddress } from './contact-view';

describe('maskAddress', () => {
  it.each([
    ['chat', 'https://hooks.example.com/services/T000/B000/XXXXsecretTAIL', 'https://hooks.example.com/…TAIL'],
    ['webhook', 'https://user:pass@bms.example.org:8443/hook?key=abcd1234', 'https://bms.example.org:8443/…1234'],
    ['webhook', 'http://x.io/a', 'http://x.io/…'],
    ['email', 'duty@example.org', 'duty@example.org'],
  ] as const)('%s %s', (channel, address, shown) => {
    expect(maskAddress(channel, address)).toBe(shown);
  });
});

describe('contactView', () => {
  const contact = (sites: Contact['sites']): Contact => ({
    id: 'crew',
    name: 'Crew',
    channel: 'webhook',
    address: 'https://hooks.example.com/secret-path-0042',
    secret: 'a-signing-secret-of-16+',
    sites,
    lang: 'en',
  });

  it.each([
    ['every site, to a scoped caller', '*', ['a'], '*'],
    ['some sites, to a caller of every site', ['a', 'b'], '*', ['a', 'b']],
    ['some sites, to a caller of one of them', ['a', 'b'], ['b', 'c'], ['b']],
    ['other sites, to a scoped caller', ['a'], ['b'], undefined],
  ] as const)('%s', (_name, sites, scope, shown) => {
    const view = contactView(contact(sites === '*' ? '*' : [...sites]), scope === '*' ? '*' : [...scope]);
    expect(view?.sites).toEqual(shown);
    if (view) expect(view).toEqual(expect.objectContaining({ address: 'https://hooks.example.com/…0042', signed: true, lang: 'en' }));
    expect(JSON.stringify(view ?? {})).not.toMatch(/secret/);
  });
});
