// Proves the chain hash covers every field of an entry and its postings, and that request hashes ignore key order.
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS, requestHashOf, type ChainEntry } from './chain.ts';

const entry: ChainEntry = {
  seq: 1,
  scope: 'purchase:m1',
  key: 'order-1',
  requestHash: 'h',
  actor: 'merchant:m1',
  result: { purchaseId: 'p1' },
  createdAt: new Date('2026-01-01T00:00:00Z'),
  postings: ['t1:a1:POINTS:-5', 't1:a2:POINTS:5'],
};

describe('operation chain', () => {
  it('changes the hash when any part of the entry or its postings changes', () => {
    const h = entryHash(GENESIS, entry);
    expect(entryHash(GENESIS, { ...entry })).toBe(h);
    expect(entryHash('other', entry)).not.toBe(h);
    expect(entryHash(GENESIS, { ...entry, postings: ['t1:a1:POINTS:-6', 't1:a2:POINTS:6'] })).not.toBe(h);
    expect(entryHash(GENESIS, { ...entry, result: { purchaseId: 'p2' } })).not.toBe(h);
    expect(entryHash(GENESIS, { ...entry, seq: 2 })).not.toBe(h);
  });
  it('does not depend on posting order or object key order', () => {
    expect(entryHash(GENESIS, { ...entry, postings: [...entry.postings].reverse() })).toBe(entryHash(GENESIS, entry));
    expect(requestHashOf({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(requestHashOf({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
  });
});
