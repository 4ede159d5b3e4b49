import { createHash } from 'node:crypto';

/** A fixed namespace, so these ids never collide with ids made elsewhere from the same text. */
const NAMESPACE = 'greenpoints:impact-record:v1';

/**
 * The id of an impact record, derived from its source ref (`purchase:<id>:<line>`, `refund:…`,
 * `activity:<id>`): a replay of the same events into a fresh database writes the very same rows.
 * Shaped as a name-based UUID (version 5 layout, SHA-1 as RFC 9562 names it).
 */
export function recordId(sourceRef: string): string {
  const h = createHash('sha1').update(NAMESPACE).update('\n').update(sourceRef).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
