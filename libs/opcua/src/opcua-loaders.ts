import type { UserIdentityInfo } from 'node-opcua-client';
import type { OpcuaEndpointDefinition } from '@hallwatch/registry';
import type * as Browser from './opcua-browser';
import type { Credentials } from './opcua-credentials';
import type * as Identity from './opcua-identity';

/*
 * node-opcua costs a process about 60 MB of memory once loaded. These load it on first use, so an
 * ingest with no OPC UA endpoint, and an api nobody browses from, never carry it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

/** See opcua-browser.ts. */
export function browseEndpoint(...args: Parameters<typeof Browser.browseEndpoint>): Promise<Browser.BrowseResult> {
  return (require('./opcua-browser') as typeof Browser).browseEndpoint(...args);
}

/** The user identity a session is activated with, for the endpoint's `auth` (opcua-identity.ts). */
export function userIdentity(
  endpoint: Pick<OpcuaEndpointDefinition, 'key' | 'auth'>,
  credentials: Credentials | undefined,
): UserIdentityInfo {
  return (require('./opcua-identity') as typeof Identity).userIdentity(endpoint, credentials);
}
