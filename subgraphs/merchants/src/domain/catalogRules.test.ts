import { describe, expect, it } from 'vitest';
import { checkReward, checkSku, requiredText } from './catalogRules.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const base = { title: 'Gift box', kind: 'GOODS', pointsCost: 500, stock: 10, validFrom: new Date('2026-05-01T00:00:00Z'), terms: 'Pick up in store.' };
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('checkReward', () => {
  it('admits a reward with terms and an open-ended validity, and a sale below the regular price', () => {
    const sale = { pointsCost: 400, startsAt: new Date('2026-06-01T00:00:00Z'), endsAt: new Date('2026-07-01T00:00:00Z') };
    expect(checkReward({ ...base, sale }, NOW)).toMatchObject({ pointsCost: 500, salePointsCost: 400, validUntil: null });
  });

  it('refuses blank terms, an ended validity, a sale at or above the regular price, and an empty window', () => {
    expect(codeOf(() => checkReward({ ...base, terms: '   ' }, NOW))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => checkReward({ ...base, validUntil: new Date('2026-05-31T00:00:00Z') }, NOW))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => checkReward({ ...base, validUntil: new Date('2026-04-01T00:00:00Z') }, new Date('2026-01-01T00:00:00Z')))).toBe('BAD_USER_INPUT');
    const at = new Date('2026-06-02T00:00:00Z');
    expect(codeOf(() => checkReward({ ...base, sale: { pointsCost: 500, startsAt: NOW, endsAt: at } }, NOW))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => checkReward({ ...base, sale: { pointsCost: 400, startsAt: at, endsAt: at } }, NOW))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => checkReward({ ...base, pointsCost: 0 }, NOW))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => checkReward({ ...base, validFrom: new Date('1999-12-31T00:00:00Z') }, NOW))).toBe('BAD_USER_INPUT');
  });
});

describe('text and SKUs', () => {
  it('trims names and refuses blank or overlong ones; SKUs are plain', () => {
    expect(requiredText('  绿色  ', 'name', 10)).toBe('绿色');
    expect(codeOf(() => requiredText('', 'name', 10))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => requiredText('x'.repeat(11), 'name', 10))).toBe('BAD_USER_INPUT');
    expect(checkSku('FRUIT-MANGO-1KG')).toBe('FRUIT-MANGO-1KG');
    expect(codeOf(() => checkSku("x'; --"))).toBe('BAD_USER_INPUT');
  });
});
