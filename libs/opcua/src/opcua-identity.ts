import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { UserIdentityInfo, UserTokenType } from 'node-opcua-client';
import { parse } from 'yaml';
import { z } from 'zod';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';

/**
 * Secrets for OPC UA user authentication, kept out of the registry in OPCUA_CREDENTIALS_FILE (YAML,
 * keyed by endpoint): a user name and password, or a user certificate and its private key (PEM files).
 */
const credentialsSchema = z.union([
  z.object({ username: z.string().min(1), password: z.string() }),
  z.object({ certificateFile: z.string().min(1), privateKeyFile: z.string().min(1) }),
]);
export type Credentials = z.infer<typeof credentialsSchema>;

export function loadCredentialsFile(file: string | undefined): Record<string, Credentials> {
  if (!file) return {};
  if (!existsSync(file)) throw new Error(`OPCUA_CREDENTIALS_FILE ${file} does not exist`);
  const entries = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(entries).map(([key, value]) => {
      const parsed = credentialsSchema.safeParse(value);
      if (!parsed.success)
        throw new Error(`OPCUA_CREDENTIALS_FILE ${file}: ${key} needs username and password, or certificateFile and privateKeyFile`);
      return [key, parsed.data];
    }),
  );
}

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
