import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/** Parameters of new hashes: N = 2^15 costs about 30 ms and 32 MiB, OWASP's recommended floor for scrypt. */
const DEFAULTS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, options: { N: number; r: number; p: number }): Promise<Buffer> {
  const scryptOptions: ScryptOptions = { ...options, maxmem: 256 * options.N * options.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, scryptOptions, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * `scrypt$N$r$p$salt$key` (salt and key in base64url): the parameters travel with the hash, so
 * raising them later leaves older hashes verifiable.
 */
export async function hashPassword(password: string, options = DEFAULTS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, options);
  return ['scrypt', options.N, options.r, options.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every(Number.isSafeInteger)) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await derive(password, Buffer.from(parts[4], 'base64url'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash no password matches, to spend the same time on unknown names as on known ones. */
export const UNKNOWN_USER_HASH = `scrypt$${DEFAULTS.N}$${DEFAULTS.r}$${DEFAULTS.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;
