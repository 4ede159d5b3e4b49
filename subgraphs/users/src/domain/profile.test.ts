// Proves phone numbers and display names are normalised to one form and refused with their own codes.
import { describe, expect, it } from 'vitest';
import { normaliseDisplayName, normalisePhone } from './profile.ts';

const codeOf = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('normalisePhone', () => {
  it('writes one number one way', () => {
    for (const raw of ['13812345678', '+86 138 1234 5678', '0086-138-1234-5678', '(138) 1234-5678']) expect(normalisePhone(raw)).toBe('13812345678');
  });
  it('refuses what is not a mainland mobile number', () => {
    for (const raw of ['', '12812345678', '1381234567', '138123456789', '+1 415 555 0100', '１３８１２３４５６７８', 'x'.repeat(100)]) expect(codeOf(() => normalisePhone(raw))).toBe('INVALID_PHONE');
  });
});

describe('normaliseDisplayName', () => {
  it('trims and counts characters, not UTF-16 units', () => {
    expect(normaliseDisplayName('  林小绿 ')).toBe('林小绿');
    expect(normaliseDisplayName('🌱'.repeat(40))).toHaveLength(80);
  });
  it('refuses empty, invisible and too-long names with their codes', () => {
    expect(codeOf(() => normaliseDisplayName('   '))).toBe('INVALID_DISPLAY_NAME');
    expect(codeOf(() => normaliseDisplayName('evil\u202Eman'))).toBe('INVALID_DISPLAY_NAME');
    expect(codeOf(() => normaliseDisplayName('a\u200Bb'))).toBe('INVALID_DISPLAY_NAME');
    expect(codeOf(() => normaliseDisplayName('x'.repeat(41)))).toBe('DISPLAY_NAME_TOO_LONG');
  });
});
