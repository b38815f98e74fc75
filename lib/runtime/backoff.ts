/** The longest wait between two attempts, however many attempts have failed, unless the caller sets another. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Exponential backoff with jitter: about `baseMs * 2^(failures-1)`, capped at `maxMs`, between half and all
 * of it. Jitter keeps many connections that failed together from retrying together.
 */
export function backoffMs(failures: number, baseMs: number, maxMs: number = MAX_BACKOFF_MS): number {
  const full = Math.min(baseMs * 2 ** Math.max(0, failures - 1), maxMs);
  return full / 2 + Math.random() * (full / 2);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
