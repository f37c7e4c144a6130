import { Channel, Contact } from '@hallwatch/alerts';
import { ALL_SITES, SiteScope } from '@hallwatch/domain';

/** A contact as the API shows it: never the signing secret, never a full webhook or chat URL. */
export interface ContactView {
  id: string;
  name: string;
  channel: Channel;
  address: string;
  signed: boolean;
  sites: SiteScope;
  lang: Contact['lang'];
}

/**
 * A webhook or chat URL is a credential: whoever holds it can post into the channel. Only where it
 * goes and its last four characters are shown, enough to tell two apart.
 */
export function maskAddress(channel: Channel, address: string): string {
  if (channel === 'email') return address;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return '…';
  }
  // A short path would be given away by its last four characters.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return `${url.protocol}//${url.host}/…${path.length >= 12 ? path.slice(-4) : ''}`;
}

/**
 * The contact as a caller scoped to `scope` sees it, or undefined when it serves none of the caller's
 * sites. A contact of every site is everyone's; of some sites, it shows only the caller's among them.
 */
export function contactView(contact: Contact, scope: SiteScope): ContactView | undefined {
  const sites = contact.sites === ALL_SITES || scope === ALL_SITES ? contact.sites : contact.sites.filter((site) => scope.includes(site));
  if (sites !== ALL_SITES && sites.length === 0) return undefined;
  return {
    id: contact.id,
    name: contact.name,
    channel: contact.channel,
    address: maskAddress(contact.channel, contact.address),
    signed: contact.secret !== null,
    sites,
    lang: contact.lang,
  };
}
