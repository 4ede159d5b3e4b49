/**
 * Delay before retry number `attempt` (1-based): doubling from `baseMs`, capped at `maxMs`. No
 * jitter: retries are per event in one consumer, so there is no herd of clients to spread out.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const exponent = Math.min(attempt - 1, 30);
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
