import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

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
