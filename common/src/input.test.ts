// Proves client text is refused when Postgres could not store it (NUL, lone surrogates) and cursors must have the exact keys issued.
import { describe, expect, it } from 'vitest';
import { hasCursorShape } from './connection.ts';
import { cleanText, findUncleanString, isCleanText, isInt32 } from './input.ts';

describe('isCleanText', () => {
  it('accepts any well-formed text, including emoji, CJK and SQL-looking strings', () => {
    for (const ok of ['', '绿色积分 🌱', "'; DROP TABLE users.users; --", 'e\u0301', '\uD83C\uDF31']) expect(isCleanText(ok), ok).toBe(true);
  });
  it('refuses NUL bytes and lone surrogates, and text over the limit', () => {
    for (const bad of ['a\u0000b', 'a\uD800', '\uDC00b', '\uDC00\uD800']) expect(isCleanText(bad), JSON.stringify(bad)).toBe(false);
    expect(isCleanText('abcd', 3)).toBe(false);
  });
  it('throws BAD_USER_INPUT naming the argument', () => {
    expect(() => cleanText('a\u0000', 'sku', 64)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { argument: 'sku' } }));
  });
});

describe('findUncleanString', () => {
  it('finds a bad string anywhere inside variables', () => {
    expect(findUncleanString({ a: [1, { b: 'ok' }, { c: ['x\u0000'] }] })).toBe('x\u0000');
    expect(findUncleanString({ a: [1, { b: 'ok' }], n: null })).toBeUndefined();
  });
});

describe('isInt32 and hasCursorShape', () => {
  it('bounds integers to a Postgres integer', () => {
    expect([2_147_483_647, -2_147_483_648, 2_147_483_648, 1.5, 1e20].map(isInt32)).toEqual([true, true, false, false, false]);
  });
  it('accepts only objects with exactly the issued keys', () => {
    expect(hasCursorShape({ id: 'a' }, ['id'])).toBe(true);
    expect(hasCursorShape({ id: 'a', cost: 1 }, ['id'])).toBe(false);
    expect(hasCursorShape(['id'], ['0'])).toBe(false);
    expect(hasCursorShape(null, ['id'])).toBe(false);
  });
});
