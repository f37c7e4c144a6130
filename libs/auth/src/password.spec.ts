import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password';

const fast = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('verifies the password it was made from and nothing else', async () => {
    const hash = await hashPassword('correct horse battery', fast);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password', fast)).not.toBe(await hashPassword('same password', fast));
  });

  it('reads the parameters from the hash, so older hashes stay valid after the defaults change', async () => {
    const old = await hashPassword('an older password', { N: 2 ** 12, r: 8, p: 1 });
    await expect(verifyPassword('an older password', old)).resolves.toBe(true);
  });

  it.each(['', 'plain', 'bcrypt$1$2$3$4$5', 'scrypt$x$8$1$AAAA$AAAA'])('refuses a malformed hash %p', async (stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false);
  });

  it('matches no password with the placeholder of unknown users', async () => {
    await expect(verifyPassword('', UNKNOWN_USER_HASH)).resolves.toBe(false);
  });
});
