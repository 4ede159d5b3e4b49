// Proves metric labels stay bounded: known values always pass, others up to a cap, the rest fold into one.
import { describe, expect, it } from 'vitest';
import { errorCodeLabel, operationNameLabel } from './boundedLabel.ts';

describe('operationNameLabel', () => {
  it('keeps known names, admits a few others, then folds the rest into "other"', () => {
    const label = operationNameLabel(['Home', 'Catalog'], 2);
    expect(label('Home')).toBe('Home');
    expect(label('AdHocOne')).toBe('AdHocOne');
    expect(label('AdHocTwo')).toBe('AdHocTwo');
    expect(label('AdHocThree')).toBe('other');
    expect(label('AdHocOne')).toBe('AdHocOne');
    expect(label('Catalog')).toBe('Catalog');
    expect(label(undefined)).toBe('Anonymous');
    expect(label.admitted()).toBe(2);
  });

  it('folds names that are not GraphQL names or are too long, without using up the cap', () => {
    const label = operationNameLabel([], 1);
    expect(label('a"b')).toBe('other');
    expect(label('x'.repeat(65))).toBe('other');
    expect(label('Fine')).toBe('Fine');
  });
});

describe('errorCodeLabel', () => {
  it('keeps codes up to the cap and folds missing, malformed and excess codes into OTHER', () => {
    const label = errorCodeLabel(2);
    expect(label('FORBIDDEN')).toBe('FORBIDDEN');
    expect(label(null)).toBe('OTHER');
    expect(label('not a code')).toBe('OTHER');
    expect(label('BAD_USER_INPUT')).toBe('BAD_USER_INPUT');
    expect(label('NOT_FOUND')).toBe('OTHER');
    expect(label('FORBIDDEN')).toBe('FORBIDDEN');
  });
});
