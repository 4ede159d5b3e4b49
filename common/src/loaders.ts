import DataLoader from 'dataloader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * A per-request DataLoader for rows keyed by one column: one query per batch, results in key order,
 * null for a missing key. Keys that fail `isValid` (e.g. a non-UUID id) are answered as missing
 * without asking Postgres, which would reject them.
 */
export function rowLoader<K extends string, T>(
  load: (keys: K[]) => Promise<T[]>,
  keyOf: (row: T) => K,
  isValid: (key: K) => boolean = () => true,
): DataLoader<K, T | null> {
  return new DataLoader<K, T | null>(async (keys) => {
    const valid = keys.filter(isValid);
    const rows = valid.length ? await load(valid) : [];
    const map = new Map(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => map.get(k) ?? null);
  });
}

/** A per-request DataLoader for child lists: one query for all parents, grouped by parent key. */
export function groupLoader<K extends string, T>(
  load: (keys: K[]) => Promise<T[]>,
  parentOf: (row: T) => K | null,
): DataLoader<K, T[]> {
  return new DataLoader<K, T[]>(async (keys) => {
    const rows = await load([...keys]);
    const groups = new Map<K, T[]>();
    for (const row of rows) {
      const key = parentOf(row);
      if (key === null) continue;
      const list = groups.get(key);
      if (list) list.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/**
 * The one written form of an id: a UUID in lower case (Postgres compares UUIDs case-blind, but
 * JavaScript maps, caches and JSON do not, and an upper-cased id must never name a second person).
 */
export const canonicalId = (value: string): string => (isUuid(value) ? value.toLowerCase() : value);
