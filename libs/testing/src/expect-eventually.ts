/**
 * Runs `assertion` until it stops throwing (or rejecting) and returns its result; after
 * `timeoutMs` rethrows its last error. For results that arrive asynchronously, instead of
 * sleeping a fixed time.
 */
export async function expectEventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
