import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { UserIdentityInfo, UserTokenType } from 'node-opcua-client';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';
import type { Credentials } from './opcua-credentials';

/** The user identity a session is activated with, for the endpoint's `auth`. */
export function userIdentity(
  endpoint: Pick<OpcuaEndpointDefinition, 'key' | 'auth'>,
  credentials: Credentials | undefined,
): UserIdentityInfo {
  if (endpoint.auth === 'anonymous') return { type: UserTokenType.Anonymous };
  if (endpoint.auth === 'username') {
    if (!credentials || !('username' in credentials))
      throw new Error(`${endpoint.key}: auth is username but OPCUA_CREDENTIALS_FILE has no user name for it`);
    return { type: UserTokenType.UserName, userName: credentials.username, password: credentials.password };
  }
  if (!credentials || !('certificateFile' in credentials)) {
    throw new Error(`${endpoint.key}: auth is certificate but OPCUA_CREDENTIALS_FILE has no certificateFile and privateKeyFile for it`);
  }
  return {
    type: UserTokenType.Certificate,
    // The token carries the certificate in DER; the key signs the server's nonce and never leaves here.
    certificateData: new X509Certificate(readFileSync(credentials.certificateFile)).raw,
    privateKey: readFileSync(credentials.privateKeyFile, 'utf8'),
  };
}
