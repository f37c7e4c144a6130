/**
 * Retries `check` until it stops throwing (or returns true), then returns its value. Tests wait
 * for conditions with this, never with fixed sleeps.
 */
export async function eventually<T>(check: () => T | Promise<T>, { timeoutMs = 15_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return result;
      lastError = new Error('condition was false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
