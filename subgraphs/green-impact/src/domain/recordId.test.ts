// Proves impact record ids are a pure function of their source ref, shaped as UUIDs.
import { isUuid } from '@greenpoints/common';
import { describe, expect, it } from 'vitest';
import { recordId } from './recordId.ts';

describe('recordId', () => {
  it('gives the same UUID for the same source ref, and another for another', () => {
    expect(recordId('purchase:p:1')).toBe(recordId('purchase:p:1'));
    expect(recordId('purchase:p:1')).not.toBe(recordId('purchase:p:2'));
    expect(isUuid(recordId('activity:a'))).toBe(true);
    expect(recordId('activity:a')[14]).toBe('5');
  });
});
